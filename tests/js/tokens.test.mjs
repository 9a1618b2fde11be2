// Which token a job gets: by scope coverage, newest expiry first, and only once Graph has accepted it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JOBS, TokenStore, covers } from "../../extension/tokens.js";

const NOW = 1_800_000_000_000;
const TENANT = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";
const APPREGS = "18ed3507-a475-4ccb-b669-d66bc9f2a36e";
const IAM = "74658136-14ec-4630-ad9b-26e160ff0fc6";
const SHELL = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";

// Claims as decodeToken gives them; `can` lists the jobs whose calls the scopes cover.
function claims(appid, can, { tid = TENANT, exp = NOW / 1000 + 3600 } = {}) {
  const jobs = Object.fromEntries(JOBS.map((j) => [j, { missingScopes: can.includes(j) ? [] : ["Application.ReadWrite.All"] }]));
  return { tid, appid, upn: "admin@contoso.example", exp, jobs };
}

function kept(store, token, c, tabId = 7) {
  const offered = store.offer(token, c, { tabId, graphBaseUrl: "https://graph.microsoft.com/v1.0", source: "portal" });
  assert.equal(offered.status, "check", "a new token is checked before use");
  return store.confirm(offered.candidate);
}

const store = () => new TokenStore(() => NOW);

test("a job gets a token whose scopes cover it; a later lower-scoped token never takes its place", () => {
  const s = store();
  kept(s, "appregs", claims(APPREGS, ["preflight", "verify", "register", "apply", "rollback"]));
  kept(s, "iam", claims(IAM, ["preflight", "verify"], { exp: NOW / 1000 + 7200 }));
  kept(s, "shell", claims(SHELL, ["preflight"], { exp: NOW / 1000 + 9000 }));
  assert.equal(s.choose("register", TENANT).token, "appregs");
  assert.equal(s.choose("rollback", TENANT).token, "appregs");
  assert.equal(s.choose("verify", TENANT).token, "iam", "newest expiry first among those that cover");
  assert.equal(s.choose("preflight", TENANT).token, "shell");
  assert.equal(s.choose("register", OTHER), null, "tenants are apart");
});

test("with no covering token a write job gets none; a read-only check gets the one missing least", () => {
  const s = store();
  kept(s, "shell", claims(SHELL, ["preflight"]));
  assert.equal(s.choose("register", TENANT), null);
  assert.equal(s.best("verify", TENANT).token, "shell");
  assert.equal(covers(claims(SHELL, []), "register"), false);
  assert.equal(covers({ tid: TENANT }, "preflight"), false, "claims without jobs cover nothing");
});

test("a token is used only once Graph accepted it; a refused one is never offered again", () => {
  const s = store();
  kept(s, "real", claims(APPREGS, ["register"]));
  const planted = s.offer("planted", claims(APPREGS, ["register"], { exp: NOW / 1000 + 86400 }), { tabId: 7, graphBaseUrl: "x", source: "portal" });
  assert.equal(planted.status, "check");
  assert.equal(s.choose("register", TENANT).token, "real", "a candidate does not replace the working token");
  assert.equal(s.offer("planted", claims(APPREGS, ["register"]), { tabId: 7 }).status, "pending");
  s.refuse("planted");
  assert.equal(s.choose("register", TENANT).token, "real");
  assert.equal(s.offer("planted", claims(APPREGS, ["register"]), { tabId: 7 }).status, "refused");
});

test("a fresh token of the same client replaces the old one once accepted; an older one never does", () => {
  const s = store();
  kept(s, "first", claims(APPREGS, ["register"]));
  kept(s, "second", claims(APPREGS, ["register"], { exp: NOW / 1000 + 4000 }));
  assert.equal(s.choose("register", TENANT).token, "second");
  assert.equal(s.sessions(TENANT).length, 1, "one token per tenant, client and tab");
  const late = s.offer("older", claims(APPREGS, ["register"], { exp: NOW / 1000 + 100 }), { tabId: 7, graphBaseUrl: "x", source: "portal" });
  s.confirm(late.candidate);
  assert.equal(s.choose("register", TENANT).token, "second");
});

test("after a 401 the token is dropped and the job waits for the same kind, not a weaker one", () => {
  const s = store();
  kept(s, "appregs", claims(APPREGS, ["register"]));
  kept(s, "shell", claims(SHELL, ["preflight"]));
  s.refuse("appregs");
  assert.equal(s.choose("register", TENANT), null);
  assert.equal(s.best("preflight", TENANT).token, "shell");
});

test("expired or nearly expired tokens are not used", () => {
  const s = store();
  kept(s, "soon", claims(APPREGS, ["register"], { exp: NOW / 1000 + 30 }));
  assert.equal(s.choose("register", TENANT), null);
  assert.equal(s.sessions(TENANT)[0].usable, false);
});

test("tokens are bound to their tab: the tab's tenant is that of its latest token; a job may be held to one tab", () => {
  const s = store();
  kept(s, "a", claims(APPREGS, ["apply"]), 1);
  kept(s, "b", claims(APPREGS, ["apply"], { tid: OTHER }), 2);
  assert.equal(s.tabTenant(1), TENANT);
  assert.equal(s.tabTenant(2), OTHER);
  assert.equal(s.tabTenant(3), null);
  assert.equal(s.choose("apply", TENANT, { tabId: 2 }), null, "tab 2 has no token of this tenant");
  assert.equal(s.choose("apply", TENANT, { tabId: 1 }).token, "a");
  // The tab switches tenant: its newest token says where it is now.
  kept(s, "c", claims(SHELL, ["preflight"], { tid: OTHER }), 1);
  assert.equal(s.tabTenant(1), OTHER);
  assert.equal(s.tabOf(TENANT), 1);
  kept(s, "d", claims(IAM, ["preflight"]), 5);
  assert.deepEqual(s.tabsOf(TENANT), [5, 1], "the tab that sent one last first");
});

test("the store survives a worker restart through its snapshot, and the popup's view holds no token", () => {
  const s = store();
  kept(s, "appregs", claims(APPREGS, ["register"]), 4);
  kept(s, "shell", claims(SHELL, ["preflight"]), 4);
  const again = store();
  again.restore(JSON.parse(JSON.stringify(s.snapshot())));
  assert.equal(again.choose("register", TENANT).token, "appregs");
  assert.equal(again.tabTenant(4), TENANT);
  const view = JSON.stringify(again.sessions(TENANT));
  assert.ok(!view.includes("appregs") && !view.includes("shell\""), view);
  assert.deepEqual(again.sessions(TENANT).map((x) => x.client).sort(), ["appRegistrations", "portalShell"]);
  again.restore([null, { token: "x" }, { claims: {} }]);
  assert.equal(again.tenantIds().length, 1, "malformed entries are skipped");
});
