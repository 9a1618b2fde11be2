// Finds English on a page that should speak German: every text a user reads (text nodes, the title, and the
// title, aria-label, placeholder and alt attributes) is checked against the page's English and German words.
// A text fails when it holds a phrase of the English dictionary that the German one never uses, or a word that
// only English uses: the words of the English dictionary and a list of English function words, less every word
// the German dictionary uses itself (German borrows "App", "Token", "Export").
//
// What is not words to translate is taken out first: values set off as <code> (keys, IDs, paths, secrets), text
// marked as another language (lang="en" on the language picker's "English"), and the allow-list below.

/** English words that are not German words; a sentence in English holds at least one of them. */
const FUNCTION_WORDS = `the of to and or is are was were be been for with from by on at as it its this that these
  those not no yes you your has have had would can cannot could should must may only every each all any some one
  which who what when where how there their them they than then into out up about after before again here just more
  most other such very please`.split(/\s+/).filter(Boolean);

/**
 * Names and terms that read the same in both languages: products, Microsoft's and Graph's names, formats,
 * protocols. Permission names, GUIDs, URLs, user names, app keys and field paths are matched by pattern (PATTERNS).
 */
export const ALLOWED_PHRASES = [
  "LUCS App Registrar", "LUCS", "Luware", "Microsoft Graph PowerShell", "Microsoft Graph", "Microsoft Entra ID",
  "Entra ID", "Entra", "Azure CLI", "Azure", "PowerShell", "Terraform", "azuread", "bash", "JSON", "CSV", "IDs",
  "ID", "URI", "URIs", "API", "SPA", "Web", "Office 365 Exchange Online", "O365 Exchange API", "O365", "Exchange",
  "OneDrive", "SharePoint", "Team Manager", "MS Teams", "Retry-After", "uniqueName", "localhost", "Deutsch",
];

// Things that are values, not words: GUIDs, URLs, e-mail addresses and UPNs, permission names (Mail.Send), app
// keys (lucs-cr-1), JSON field paths (components[1].instances), times, numbers.
const PATTERNS = [
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
  /https?:\/\/\S*/g,
  /\S+@\S+/g,
  /\b[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)+\b/g,
  /\b[a-z0-9]+(-[a-z0-9]+)+\b/g,
  /\b[a-z][A-Za-z]*(\[\d+\])?(\.[a-z][A-Za-z]*(\[\d+\])?)+\b/g,
  /\d{4}-\d\d-\d\dT[\d:.]+Z?/g,
  /\d+/g,
].map((re) => re.source + "/" + re.flags);

const PLACEHOLDER = /\{\w+\}|\$\w+\$|\$\d/g;

const wordsIn = (text) => (text.replace(PLACEHOLDER, " ").toLowerCase().match(/\p{L}[\p{L}']*/gu) ?? []).map((w) => w.replace(/'s$/, ""));

/**
 * The checks for one page from its dictionaries (lists of the strings each language shows; `{name}`, `$1` and
 * `$NAME$` placeholders are left out). `allowed`: more names of the page's own (e.g. the catalog's component
 * names).
 */
export function checks(english, german, allowed = []) {
  const germanWords = new Set(german.flatMap(wordsIn));
  const allowedWords = new Set([...ALLOWED_PHRASES, ...allowed].flatMap(wordsIn));
  const words = [...new Set([...english.flatMap(wordsIn), ...FUNCTION_WORDS])]
    .filter((w) => !germanWords.has(w) && !allowedWords.has(w));
  // English phrases of two words or more, cut at the placeholders, that no German string contains.
  const phrases = [...new Set(english.flatMap((s) => s.split(PLACEHOLDER)).map((s) => s.trim().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "")))]
    .filter((p) => /\p{L}+\s+\p{L}+/u.test(p) && !german.some((g) => g.includes(p)) && !ALLOWED_PHRASES.includes(p) && !allowed.includes(p));
  return {
    words, phrases, allowed: [...allowed, ...ALLOWED_PHRASES].sort((a, b) => b.length - a.length), patterns: PATTERNS,
  };
}

/** Every English text the page shows now: [{ where, text, found }], empty when it all speaks German. */
export function englishOn(page, check) {
  return page.evaluate(({ words, phrases, allowed, patterns }) => {
    const english = new Set(words);
    const regexps = patterns.map((p) => new RegExp(p.slice(0, p.lastIndexOf("/")), p.slice(p.lastIndexOf("/") + 1)));
    const foreign = (el) => el.closest("[lang]:not([lang^=de])");
    const skipped = (el) => el.closest("code, script, style") || (foreign(el) && foreign(el) !== document.documentElement);
    // An option reads as its select does; closed <details> are opened by the tests before they look.
    const shown = (el) => (el.closest("select") ?? el).checkVisibility({ visibilityProperty: true });
    const found = [];
    // A page that does not say it is German would have every text skipped above.
    if (!document.documentElement.lang.startsWith("de")) found.push({ where: "html", text: document.documentElement.lang, found: ["lang"] });
    const check = (where, text) => {
      const hits = phrases.filter((p) => text.includes(p));
      let rest = text;
      for (const name of allowed) rest = rest.split(name).join(" ");
      for (const re of regexps) rest = rest.replace(re, " ");
      for (const word of rest.toLowerCase().match(/\p{L}[\p{L}']*/gu) ?? []) {
        if (english.has(word.replace(/'s$/, ""))) hits.push(word);
      }
      if (hits.length) found.push({ where, text, found: [...new Set(hits)] });
    };
    const nameOf = (el) => el.id ? `#${el.id}` : el.closest("[id]") ? `#${el.closest("[id]").id} ${el.tagName.toLowerCase()}` : el.tagName.toLowerCase();
    check("title", document.title);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!node.textContent.trim() || skipped(parent) || !shown(parent)) continue;
      check(nameOf(parent), node.textContent.trim());
    }
    for (const el of document.body.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
      if (skipped(el) || !shown(el)) continue;
      for (const attribute of ["title", "aria-label", "placeholder", "alt"]) {
        if (el.hasAttribute(attribute)) check(`${nameOf(el)} @${attribute}`, el.getAttribute(attribute));
      }
    }
    return found;
  }, check);
}
