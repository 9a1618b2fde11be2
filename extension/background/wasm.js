// The engine's Wasm, started once for the whole background: token capture needs it to read a token, the messages
// to plan and run.
import init from "../pkg/lucs_registrar.js";
import { api } from "../browser.js";

let ready;
export const wasm = () => (ready ??= init({ module_or_path: api.runtime.getURL("pkg/lucs_registrar_bg.wasm") }));
