// The core's texts in the page's language: ui/core-words.js (shared with the extension) bound to the language the
// page shows, which a switch changes.
import { language } from "./i18n.js";
import { coreWords } from "./ui/core-words.js";

export { ERRORS_DE, SENTENCES, STOPS_DE, WARNINGS_DE, errorKey, valueAt } from "./ui/core-words.js";
export const { catalogText, warningParts, errorParts, stopParts } = coreWords(language);
