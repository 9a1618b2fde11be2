// The one browser-API shim: Firefox's promise-based `browser`, else Chromium's `chrome` (promise-based in MV3).
export const api = globalThis.browser ?? globalThis.chrome;
