// The last "Check against the tenant": what it read that a Register of the same plan may start from (the Wasm's
// `discovery`), kept in storage.session beside the run — never storage.local: it names the tenant's apps — so a
// Register straight after the check reads the tenant one round trip less. Whether it still serves (a minute, the
// same tenant, the same plan's requests) the engine decides; this keeps one, for one tenant, and hands it over once.
// `storage` is a storage area (storage.session): the rules here are tested with a stand-in.

/** Keeps `drift.discovery` for `tid` and returns the report as the popup has always had it (without it). */
export async function keepCheck(storage, tid, drift) {
  const { discovery, ...report } = drift;
  await storage.set({ check: discovery ? { tid, discovery } : null });
  return report;
}

/** The kept discovery of `tid`'s last check, once: a run that starts from it uses it up. */
export async function takeCheck(storage, tid) {
  const { check } = await storage.get("check");
  await storage.remove("check");
  return check?.tid === tid && check.discovery && typeof check.discovery === "object" ? check.discovery : null;
}
