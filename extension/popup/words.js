// The core's errors, warnings and stops and pre-flight's sentences in the popup's language, from their codes
// (ui/core-words.js, shared with the planner page). The popup speaks the extension's locale: German where the
// browser's language is German, else English.
import { api } from "../browser.js";
import { asText, coreWords } from "../ui/core-words.js";

const language = () => (api.i18n.getMessage("options_lang") === "de" ? "de" : "en");

export { asText };
export const { catalogText, errorParts, preflightParts, stopParts, warningParts } = coreWords(language);
