// What the Graph benchmarks share: the release Wasm loaded, the sandbox `make bench` started (LUCS_SANDBOX_URL),
// its control endpoints, and the full LUCS set they register (10 apps).
import { readFileSync } from "node:fs";
import { initSync } from "../../pkg/lucs_registrar.js";

export const sandbox = process.env.LUCS_SANDBOX_URL;
if (!sandbox) throw new Error("LUCS_SANDBOX_URL is not set: run `make bench`");
initSync({ module: readFileSync(new URL("../../pkg/lucs_registrar_bg.wasm", import.meta.url)) });

/** Every component, Conversation Recording and Calendar Integration twice: 10 apps. */
export const FULL_SET = {
  components: [
    { code: "AC" }, { code: "CI", instances: ["1", "2"] }, { code: "CIC" }, { code: "CR", instances: ["1", "2"] },
    { code: "FE" }, { code: "GalReader" }, { code: "TeamsAA" }, { code: "WebConfigurator" },
  ],
};

/** A call to the sandbox (its /sandbox/ control endpoints), answered as JSON. */
export const call = async (path, init) => (await fetch(`${sandbox}${path}`, init)).json();
