// Tokens in: the portal's own Graph calls carry its tokens (keeper.js keeps the usable ones), and the options page
// may paste one. Passive: no request is blocked or changed.
import { api } from "../browser.js";
import { GRAPH_BASE_URL, GRAPH_PATTERNS, graphBaseOf } from "../config.js";
import { accept } from "../keeper.js";
import { addHandlers } from "../messages.js";
import { fromPortalTab } from "../origins.js";
import { wasm } from "./wasm.js";
import { t } from "../runs.js";

/** Listens to the portal tabs' Graph requests for their bearer tokens. */
export function captureTokens() {
  const extra = api.webRequest.OnSendHeadersOptions?.EXTRA_HEADERS;
  api.webRequest.onSendHeaders.addListener(
    (details) => {
      const header = details.requestHeaders?.find((h) => h.name.toLowerCase() === "authorization");
      const token = header?.value?.match(/^Bearer\s+(\S+)$/i)?.[1];
      if (!token || details.tabId < 0) return;
      // The tab's URL is visible to us only when it is a host we may access; a non-portal tab yields none.
      api.tabs.get(details.tabId)
        .then(async (tab) => {
          if (!fromPortalTab(details, tab?.url)) return;
          await wasm();
          await accept(token, { tabId: details.tabId, graphBaseUrl: graphBaseOf(details.url), source: "portal" });
        })
        .catch(() => {});
    },
    { urls: GRAPH_PATTERNS },
    extra ? ["requestHeaders", extra] : ["requestHeaders"],
  );
}

addHandlers("page", {
  pasteToken: {
    shape: { token: "string" },
    async handle({ token }) {
      if (token.length > 20000) throw new Error(t("refusedNotAToken"));
      const claims = await accept(token.trim(), { graphBaseUrl: graphBaseOf(`${GRAPH_BASE_URL}/`), source: "pasted" });
      if (!claims) throw new Error(t("refusedUnusableToken"));
      return { tid: claims.tid, upn: claims.upn, exp: claims.exp };
    },
  },
});
