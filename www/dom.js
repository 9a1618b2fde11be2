// The page's few DOM helpers, shared by the planner and the sandbox run; the pieces the popup shows too come from
// ui/ (copied in by the build) and speak the page's language.
import { t } from "./i18n.js";
import { el, copyButton as copyButtonIn, progressLine as progressLineIn, resultRows as resultRowsIn } from "./ui/ui.js";

export { el };

export const $ = (id) => document.getElementById(id);

/** A small "Copy" button that confirms for a moment; `what` names what it copies for screen readers. */
export const copyButton = (text, what) => copyButtonIn(t, text, what);

/** One progress event, in the page's words. */
export const progressLine = (e) => progressLineIn(t, e);

/** A run report's apps as table rows. */
export const resultRows = (report) => resultRowsIn(t, report);
