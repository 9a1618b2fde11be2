// The portal tabs: what our content script may ask (only about the app on screen, never a token, always about its
// own tab's tenant), and taking a tenant's portal tab to App registrations for the popup.
import { openRequest } from "../apply.js";
import { api } from "../browser.js";
import { load, store } from "../keeper.js";
import { addHandlers, isGuid } from "../messages.js";
import { isPortalOrigin, originOf } from "../origins.js";
import { state, t } from "../runs.js";
import { STATUS, isActive } from "../runs/status.js";

addHandlers("portal", {
  portalIds: {
    shape: { appId: "string" },
    async handle({ appId }, sender) {
      if (!isGuid(appId)) throw new Error("appId must be a GUID");
      await load();
      return { appId, tenantId: store.tabTenant(sender.tab.id) };
    },
  },
  portalApply: {
    shape: { appId: "string" },
    async handle({ appId }, sender) {
      if (!isGuid(appId)) throw new Error("appId must be a GUID");
      await load();
      const tid = store.tabTenant(sender.tab.id);
      if (!tid) throw new Error(t("refusedNoTabToken"));
      const id = await openRequest(sender.tab.id, tid, appId.toLowerCase());
      const url = api.runtime.getURL(`confirm.html?request=${id}`);
      await api.windows.create({ url, type: "popup", width: 480, height: 760 }).catch(() => api.tabs.create({ url }));
      return { opened: true };
    },
  },
  // The content script is a classic script without our modules: it is told whether the run ended, and how.
  portalRunStatus: {
    shape: {},
    async handle(_message, sender) {
      const { run } = state;
      const mine = Boolean(run) && run.job === "apply" && run.tabId === sender.tab.id;
      return {
        status: mine ? run.status : null,
        error: mine ? run.error : null,
        active: mine && isActive(run),
        done: mine && run.status === STATUS.done,
      };
    },
  },
});

addHandlers("page", {
  // Takes the tenant's portal tab to App registrations, whose blade's token can register and grant consent.
  openAppRegistrations: {
    shape: { tid: "string" },
    async handle({ tid }) {
      // The tab of this tenant that is still open and still on the portal, whichever shell it shows.
      for (const tabId of store.tabsOf(tid)) {
        const tab = await api.tabs.get(tabId).catch(() => null);
        const shell = originOf(tab?.url ?? "");
        if (!isPortalOrigin(shell)) continue;
        await api.tabs.update(tabId, { url: `${shell}/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade`, active: true });
        await api.windows?.update?.(tab.windowId, { focused: true }).catch(() => {});
        return { opened: true };
      }
      throw new Error(t("refusedNoPortalTab"));
    },
  },
});
