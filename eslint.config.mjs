// ESLint flat config: the recommended rules over everything we ship and test, with the globals of where each file
// runs. `make lint` runs it. Extension and page code reports to the user, never to the console (a store reviewer
// reads console output as leaked data; the page has its own log panel), so no-console applies there.
import js from "@eslint/js";
import globals from "globals";

const webextension = { ...globals.browser, ...globals.webextensions };

export default [
  { ignores: ["node_modules/", "target/", "dist/", "pkg/", "test-results/"] },
  js.configs.recommended,
  {
    // Leaving a field out by destructuring it beside a rest (the secrets kept out of storage) is deliberate.
    // The line length .editorconfig promises; a line may run longer only for a string, template or regular
    // expression it holds whole (a sentence or pattern cut in two is harder to find than a long line).
    rules: {
      "no-unused-vars": ["error", { ignoreRestSiblings: true }],
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    files: ["extension/**/*.js"],
    languageOptions: { sourceType: "module", globals: webextension },
    rules: { "no-console": "error" },
  },
  {
    // Content scripts are classic scripts: they share globalThis, not imports.
    files: ["extension/content.js", "extension/route.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    files: ["www/**/*.js", "ui/**/*.js"],
    languageOptions: { sourceType: "module", globals: globals.browser },
    rules: { "no-console": "error" },
  },
  {
    // Node test files; the functions they hand to page.evaluate run in the browser.
    files: ["tests/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node, ...webextension } },
  },
  {
    // The fake portal's pages, served to the browsers by the real-host world.
    files: ["tests/e2e/realportal/site/**/*.js"],
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
];
