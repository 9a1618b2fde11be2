// In the Azure portal's top-level page (isolated world, no token): on an app registration's blade a small LUCS box
// copies the Application ID and the Directory ID and offers to apply LUCS permissions. It lives in a closed shadow
// root, so page script can neither read nor relabel it; it decides nothing: "Apply" only opens the extension's own
// confirmation page, where the app's name (from Graph), the tenant and what will be granted are shown and chosen.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const { appIdOnScreen } = globalThis.lucsRoute;
  let host = null;
  let shownFor = null;

  const text = (key, fallback) => api.i18n.getMessage(key) || fallback;

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", (event) => {
      if (event.isTrusted) onClick(event);
    });
    return b;
  }

  async function copy(b, value, label) {
    await navigator.clipboard.writeText(value);
    b.textContent = text("copied", "Copied");
    setTimeout(() => (b.textContent = label), 1200);
  }

  // Folded away or not, for every portal page alike (storage.local, one flag; nothing about the tenant or the app):
  // an admin who folded it away does not want it back on the next blade or the next day.
  const FOLDED = "lucsBoxFolded";

  /** Draws the box into `root` (a shadow root); `folded` starts it folded away. Exposed for the box's own test. */
  function draw(root, appId, folded) {
    const style = document.createElement("style");
    // Fixed sizes: one button per row, so the box looks the same on every portal page whatever its fonts.
    style.textContent = `:host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483647}
      div{box-sizing:border-box;width:220px;background:#f6f7f9;border:1px solid #d4d4dc;border-radius:6px;padding:4px;box-shadow:0 2px 6px rgba(0,0,0,.2);font:12px/16px system-ui;color:#1b1b1f}
      button{display:block;box-sizing:border-box;width:210px;height:26px;margin:0 0 4px;padding:0 8px;border:1px solid #0b5cad;background:#fff;color:#0b5cad;border-radius:4px;font:12px/16px system-ui;cursor:pointer;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
      button:focus-visible{outline:2px solid #0b5cad;outline-offset:1px}
      button.fold{width:auto;height:20px;margin:0 0 0 auto;border-color:transparent;background:transparent;color:#4a4a55}
      button.unfold{width:auto;margin:0}
      div.folded{width:auto}
      span{display:block;min-height:16px}
      [hidden]{display:none}`;
    const box = document.createElement("div");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", text("extName", "LUCS App Registrar"));
    const appLabel = text("copyAppId", "Copy Application ID");
    const tenantLabel = text("copyTenantId", "Copy Directory ID");
    const status = document.createElement("span");
    status.setAttribute("role", "status");
    const a = button(appLabel, () => copy(a, appId, appLabel));
    const d = button(tenantLabel, async () => {
      const reply = await api.runtime.sendMessage({ type: "portalIds", appId });
      if (reply?.result?.tenantId) copy(d, reply.result.tenantId, tenantLabel);
      else status.textContent = reply?.error ?? text("noTabToken", "No Microsoft Graph token from this tab yet.");
    });
    const apply = button(text("applyPermissions", "Apply LUCS permissions…"), async () => {
      const reply = await api.runtime.sendMessage({ type: "portalApply", appId });
      status.textContent = reply?.error ?? text("confirmInWindow", "Confirm in the LUCS window.");
      if (!reply?.error) follow(status);
    });
    // Below the three buttons, so their places stay where they always were.
    const fold = button(text("boxFold", "Hide"), () => setFolded(true));
    fold.className = "fold";
    fold.setAttribute("aria-expanded", "true");
    const unfold = button(text("boxUnfold", "LUCS"), () => setFolded(false));
    unfold.className = "unfold";
    unfold.setAttribute("aria-expanded", "false");
    unfold.setAttribute("aria-label", `${text("boxUnfold", "LUCS")} – ${text("boxUnfoldLabel", "Show the LUCS App Registrar box")}`);
    const open = [a, d, apply, status, fold];
    function setFolded(on, remember = true) {
      for (const n of open) n.hidden = on;
      unfold.hidden = !on;
      box.classList.toggle("folded", on);
      box.dataset.folded = String(on);
      if (remember) api.storage.local.set({ [FOLDED]: on }).catch(() => {});
      (on ? unfold : fold).focus({ preventScroll: true });
    }
    box.append(a, d, apply, status, fold, unfold);
    root.append(style, box);
    for (const n of open) n.hidden = folded;
    unfold.hidden = !folded;
    box.classList.toggle("folded", folded);
    box.dataset.folded = String(folded);
    return box;
  }
  globalThis.lucsBox = { draw };

  async function show(appId) {
    const { [FOLDED]: folded } = await api.storage.local.get(FOLDED).catch(() => ({}));
    if (shownFor !== appId) return;
    host?.remove();
    host = document.createElement("lucs-app-registrar");
    draw(host.attachShadow({ mode: "closed" }), appId, folded === true);
    document.documentElement.append(host);
  }

  // What became of the Apply this tab asked for, once confirmed in our window.
  function follow(status) {
    const poll = setInterval(async () => {
      const r = await api.runtime.sendMessage({ type: "portalRunStatus" }).catch(() => null);
      const s = r?.result?.status;
      if (r?.result?.done) {
        clearInterval(poll);
        status.textContent = text("appliedRefresh", "Done — refresh this page to see the permissions.");
      } else if (s && !r.result.active) {
        clearInterval(poll);
        status.textContent = r.result.error ?? s;
      }
    }, 700);
    setTimeout(() => clearInterval(poll), 10 * 60_000);
  }

  function check() {
    const appId = appIdOnScreen(location.hash);
    if (appId === shownFor) return;
    shownFor = appId;
    host?.remove();
    host = null;
    if (appId) show(appId);
  }

  window.addEventListener("hashchange", check);
  check();
})();
