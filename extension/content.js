// In the Azure portal (isolated world, no token): on an app registration's blades, whose URL names the appId,
// a small LUCS button copies the Application ID and the Directory ID. The page may only ask; the background
// checks the sender and answers with IDs, never with a token.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const GUID = /appId\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;
  let root = null;

  const text = (key, fallback) => api.i18n.getMessage(key) || fallback;

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.style.cssText = "font:12px system-ui;margin:2px;padding:3px 8px;border:1px solid #0b5cad;background:#fff;color:#0b5cad;border-radius:4px;cursor:pointer";
    b.addEventListener("click", onClick);
    return b;
  }

  async function copy(b, value, label) {
    await navigator.clipboard.writeText(value);
    b.textContent = text("copied", "Copied");
    setTimeout(() => (b.textContent = label), 1200);
  }

  function show(appId) {
    root?.remove();
    root = document.createElement("div");
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "LUCS App Registrar");
    root.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483647;background:#f6f7f9;border:1px solid #d4d4dc;border-radius:6px;padding:4px;box-shadow:0 2px 6px rgba(0,0,0,.2)";
    const appLabel = text("copyAppId", "Copy Application ID");
    const tenantLabel = text("copyTenantId", "Copy Directory ID");
    const a = button(appLabel, () => copy(a, appId, appLabel));
    const d = button(tenantLabel, async () => {
      const reply = await api.runtime.sendMessage({ type: "portalIds", appId });
      if (reply?.result?.tenantId) copy(d, reply.result.tenantId, tenantLabel);
    });
    root.append(a, d, applyControls(appId));
    document.body.append(root);
  }

  // "Apply LUCS permissions for <component>": the background registers nothing new; it extends this app's
  // permissions and grants consent, then the admin refreshes the blade to see them.
  function applyControls(appId) {
    const box = document.createElement("div");
    const select = document.createElement("select");
    select.setAttribute("aria-label", text("applyFor", "LUCS component"));
    select.style.cssText = "font:12px system-ui;margin:2px";
    api.runtime.sendMessage({ type: "portalIds", appId }).then((reply) => {
      for (const c of reply?.result?.components ?? []) select.append(new Option(c.name, c.code));
    });
    const status = document.createElement("span");
    status.setAttribute("role", "status");
    status.style.cssText = "font:12px system-ui;margin-left:4px";
    const label = text("applyPermissions", "Apply LUCS permissions");
    const apply = button(label, async (event) => {
      if (!event.isTrusted) return;
      const reply = await api.runtime.sendMessage({ type: "portalApply", appId, component: select.value });
      if (reply?.error) {
        status.textContent = reply.error;
        return;
      }
      status.textContent = text("applying", "Applying…");
      const poll = setInterval(async () => {
        const r = await api.runtime.sendMessage({ type: "portalRunStatus" });
        const s = r?.result?.status;
        if (s === "done") {
          clearInterval(poll);
          status.textContent = text("appliedRefresh", "Done — refresh this page to see the permissions.");
        } else if (s && s !== "running" && s !== "waitingToken") {
          clearInterval(poll);
          status.textContent = r.result.error ?? s;
        }
      }, 700);
    });
    box.append(select, apply, status);
    return box;
  }

  function check() {
    const m = location.href.match(GUID);
    if (m) {
      if (root?.dataset.appId !== m[1]) {
        show(m[1]);
        root.dataset.appId = m[1];
      }
    } else {
      root?.remove();
      root = null;
    }
  }

  window.addEventListener("hashchange", check);
  check();
})();
