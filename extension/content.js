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

  function show(appId) {
    host?.remove();
    host = document.createElement("lucs-app-registrar");
    const root = host.attachShadow({ mode: "closed" });
    const style = document.createElement("style");
    // Fixed sizes: one button per row, so the box looks the same on every portal page whatever its fonts.
    style.textContent = `:host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483647}
      div{box-sizing:border-box;width:220px;background:#f6f7f9;border:1px solid #d4d4dc;border-radius:6px;padding:4px;box-shadow:0 2px 6px rgba(0,0,0,.2);font:12px/16px system-ui}
      button{display:block;box-sizing:border-box;width:210px;height:26px;margin:0 0 4px;padding:0 8px;border:1px solid #0b5cad;background:#fff;color:#0b5cad;border-radius:4px;font:12px/16px system-ui;cursor:pointer;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
      span{display:block;min-height:16px}`;
    const box = document.createElement("div");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "LUCS App Registrar");
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
    box.append(a, d, apply, status);
    root.append(style, box);
    document.documentElement.append(host);
  }

  // What became of the Apply this tab asked for, once confirmed in our window.
  function follow(status) {
    const poll = setInterval(async () => {
      const r = await api.runtime.sendMessage({ type: "portalRunStatus" }).catch(() => null);
      const s = r?.result?.status;
      if (s === "done") {
        clearInterval(poll);
        status.textContent = text("appliedRefresh", "Done — refresh this page to see the permissions.");
      } else if (s && s !== "running" && s !== "waitingToken") {
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
