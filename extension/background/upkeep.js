// The Health page's messages (health.html): the tenant's installation checked, and a client secret renewed in two
// separate steps with each key's last sign-in between them — removing the old one carries the admin's confirmation
// that LUCS uses the new secret — and drift fixed with the extras the admin ticked. What each does is upkeep.js.
import { addHandlers } from "../messages.js";
import { upkeep } from "../upkeep.js";

addHandlers("page", {
  health: { shape: { tid: "string" }, handle: (m) => upkeep.health(m) },
  secretPolicy: { shape: { tid: "string", key: "string" }, handle: (m) => upkeep.secretPolicy(m) },
  credentialActivity: { shape: { tid: "string", appId: "string" }, handle: (m) => upkeep.credentialActivity(m) },
  renewSecret: { shape: { tid: "string", key: "string", lifetimeMonths: "number" }, handle: (m) => upkeep.renewSecret(m) },
  fixDrift: { shape: { tid: "string", removeExtras: "array" }, handle: (m) => upkeep.fixDrift(m) },
  retireSecret: {
    shape: { tid: "string", key: "string", keyId: "string", confirmed: "boolean" },
    handle: (m) => upkeep.retireSecret(m),
  },
});
