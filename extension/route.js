// Which app registration the portal shows, read from the route in the URL's hash only. The portal routes blades as
// "#view/<extension>/<blade>/<parameters…>" (older links "#blade/…"); the App registrations blade of one app is
// Microsoft_AAD_RegisteredApps/ApplicationMenuBlade with an "appId/<guid>" parameter. Anything else in the URL —
// the query, the path, another blade's parameters — is ignored, so a crafted link cannot name a second app.
// A classic script (content scripts are not modules): it defines globalThis.lucsRoute for content.js and tests.
globalThis.lucsRoute = (() => {
  const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const EXTENSION = /^Microsoft_[A-Za-z0-9_]+$/;

  /** The blades a hash opens, in order: { extension, blade, params: string[] }. */
  function blades(hash) {
    if (typeof hash !== "string" || !hash.startsWith("#")) return [];
    let parts;
    try {
      parts = hash.slice(1).split("/").map(decodeURIComponent);
    } catch {
      return [];
    }
    const found = [];
    for (let i = 0; i < parts.length; i++) {
      if ((parts[i] === "view" || parts[i] === "blade") && EXTENSION.test(parts[i + 1] ?? "") && parts[i + 2]) {
        found.push({ extension: parts[i + 1], blade: parts[i + 2], params: [] });
        i += 2;
      } else if (found.length) {
        found.at(-1).params.push(parts[i]);
      }
    }
    return found;
  }

  /** The Application ID of the app registration on screen (the last blade), or null. */
  function appIdOnScreen(hash) {
    const last = blades(hash).at(-1);
    if (!last || last.extension !== "Microsoft_AAD_RegisteredApps" || last.blade !== "ApplicationMenuBlade") return null;
    const ids = [];
    last.params.forEach((p, i) => {
      if (p === "appId") ids.push(last.params[i + 1]);
    });
    // One appId, and a GUID: two would mean a link built to confuse.
    return ids.length === 1 && GUID.test(ids[0] ?? "") ? ids[0].toLowerCase() : null;
  }

  return { blades, appIdOnScreen };
})();
