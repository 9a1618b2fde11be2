// The core's texts in German, for the planner page and the extension alike (the build copies ui/ into both). The
// core speaks English and gives each warning, error and stop a stable code (and an error the field it concerns); in
// German a page shows its own sentence for that code, filled in from the warning's component, the error's field and
// the value the admin gave there. In English the core's own message is shown: it is the more exact one. Anything
// without a German sentence here is shown as the core wrote it. Each page binds the functions to its own language
// with coreWords(); the tables are the same for all.

const PLACEHOLDER = /\{(\w+)\}/g;

/** A value shown as it is (a name, key, ID or path, not words to translate), set off as code. */
export function literal(value) {
  const node = document.createElement("code");
  node.textContent = String(value);
  return node;
}

/** `template` with each {name} replaced: a list of strings and nodes, neighbouring strings joined. */
export function fill(template, vars = {}) {
  const out = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    out.push(template.slice(last, m.index));
    const value = vars[m[1]];
    out.push(value === undefined ? m[0] : typeof value === "object" && value !== null ? value : String(value));
    last = m.index + m[0].length;
  }
  out.push(template.slice(last));
  return out.reduce((parts, part) => {
    if (typeof part === "string" && typeof parts.at(-1) === "string") parts.push(parts.pop() + part);
    else if (part !== "") parts.push(part);
    return parts;
  }, []);
}

// The built-in catalog's sentences (purposes, errata, Microsoft's permission descriptions) and the core's
// broad-permission notes, keyed by the English sentence: the same sentence means the same thing wherever it
// appears, so a custom catalog that reuses one gets its German too, while its own sentences are shown as written.
// The German of Microsoft's descriptions is ours, not Microsoft's. tests/js/core-words.test.mjs holds this table
// to the built-in catalog and to the core's declared codes.
export const SENTENCES = new Map([
  ["Get user presence over Graph API", "Anwesenheit der Benutzer über die Graph-API abrufen"],
  ["Read and write O365/Exchange calendars (e.g. opening hours)", "O365-/Exchange-Kalender lesen und schreiben (z. B. Öffnungszeiten)"],
  ["User directory synchronization", "Synchronisierung des Benutzerverzeichnisses"],
  ["Call recording and send via e-mail", "Anrufaufzeichnung und Versand per E-Mail"],
  ["User authentication", "Benutzerauthentifizierung"],
  ["User directory synchronization & caching for search", "Synchronisierung des Benutzerverzeichnisses und Zwischenspeicher für die Suche"],
  ["O365 user authentication for login", "O365-Benutzerauthentifizierung für die Anmeldung"],
  ["The vendor's guide names no permission for the Agent Controller; Presence.Read.All (delegated) is the one Luware's newer Team Manager documentation names.",
    "Die Anleitung des Herstellers nennt für den Agent Controller keine Berechtigung; Luwares neuere Dokumentation zum Team Manager nennt Presence.Read.All (delegiert)."],
  ["The vendor's guide says \"Users.Read\"; Microsoft Graph has no such permission. Corrected to User.Read.",
    "Die Anleitung des Herstellers nennt „Users.Read“; diese Berechtigung gibt es in Microsoft Graph nicht. Korrigiert zu User.Read."],
  ["The vendor's guide says \"Users.Read.All\"; Microsoft Graph has no such permission. Corrected to User.Read.All.",
    "Die Anleitung des Herstellers nennt „Users.Read.All“; diese Berechtigung gibt es in Microsoft Graph nicht. Korrigiert zu User.Read.All."],
  ["The vendor's guide says \"O365 Exchange API\"; these permissions all belong to Microsoft Graph (00000003-0000-0000-c000-000000000000), not to the \"Office 365 Exchange Online\" resource.",
    "Die Anleitung des Herstellers nennt „O365 Exchange API“; diese Berechtigungen gehören alle zu Microsoft Graph (00000003-0000-0000-c000-000000000000), nicht zur Ressource „Office 365 Exchange Online“."],
  ["Calendars.Read.Shared is only needed for shared calendars; it is optional and off by default.",
    "Calendars.Read.Shared wird nur für freigegebene Kalender gebraucht; die Berechtigung ist optional und zunächst abgewählt."],
  ["Application permissions need a credential to be used, so a client secret is created by default for this component.",
    "Anwendungsberechtigungen lassen sich nur mit Anmeldeinformationen nutzen, daher wird für diese Komponente standardmäßig ein Geheimnis erstellt."],
  ["Read presence information of all users in your organization", "Anwesenheitsinformationen aller Benutzer in Ihrer Organisation lesen"],
  ["Read user mailbox settings", "Postfacheinstellungen des Benutzers lesen"],
  ["Read user mail", "E-Mails des Benutzers lesen"],
  ["Read and write access to user mail", "Lese- und Schreibzugriff auf die E-Mails des Benutzers"],
  ["Send mail as a user", "E-Mails als Benutzer senden"],
  ["Read user calendars", "Kalender des Benutzers lesen"],
  ["Read user and shared calendars", "Kalender des Benutzers und freigegebene Kalender lesen"],
  ["Read user contacts", "Kontakte des Benutzers lesen"],
  ["Sign in and read user profile", "Anmelden und Benutzerprofil lesen"],
  ["Have full access to all files user can access", "Vollzugriff auf alle Dateien, auf die der Benutzer zugreifen kann"],
  ["Read all users' full profiles", "Vollständige Profile aller Benutzer lesen"],
  ["Files.ReadWrite.All lets the app read, change and delete every file the signed-in user can reach (OneDrive and SharePoint).",
    "Files.ReadWrite.All erlaubt der App, jede Datei zu lesen, zu ändern und zu löschen, die der angemeldete Benutzer erreicht (OneDrive und SharePoint)."],
  ["Mail.ReadWrite lets the app change and delete the signed-in user's mail, not just read it.",
    "Mail.ReadWrite erlaubt der App, die E-Mails des angemeldeten Benutzers zu ändern und zu löschen, nicht nur zu lesen."],
]);

const catalogTextIn = (lang, text) => (lang === "de" && SENTENCES.get(text)) || text;

// By warning code; erratum and broadPermission carry a catalog sentence after "<component>: ".
export const WARNINGS_DE = {
  sentence: "{component}: {text}",
  optionalIncluded: "{component}: die optionale Berechtigung {permission} ist enthalten.",
  optionalLeftOut: "{component}: die optionale Berechtigung {permission} ist nicht enthalten.",
  noCredential: "{component}: hat Anwendungsberechtigungen, aber es wird kein Geheimnis erstellt; fügen Sie ein Geheimnis oder Zertifikat hinzu, bevor LUCS die App nutzen kann.",
  noConsent: "Die Administratorzustimmung ist ausgeschaltet: die Apps werden mit ihren Berechtigungen registriert, erteilt wird aber nichts, bis ein Administrator zustimmt (API-Berechtigungen → Administratorzustimmung erteilen).",
};

// By error code, or code and what about it ("code.detail", see errorKey); each states the rule that was broken.
export const ERRORS_DE = {
  unknownField: "{field} ist kein bekanntes Feld.",
  invalidInput: "{field} hat einen ungültigen Wert oder Typ.",
  "invalidInput.missing": "{field} fehlt.",
  unknownComponent: "Unbekannte Komponente {value}: der Katalog kennt sie nicht.",
  duplicateComponent: "Die Komponente {value} ist zweimal aufgeführt; führen Sie sie einmal auf (mehr Apps über Instanzen).",
  noComponents: "Wählen Sie mindestens eine Komponente.",
  invalidInstanceLabel: "{value}: eine Instanzbezeichnung hat 1–32 Buchstaben, Ziffern oder innere Bindestriche (sie wird Teil des App-Schlüssels).",
  "invalidInstanceLabel.blank": "Eine Instanzbezeichnung ist leer; geben Sie jeder Instanz eine Bezeichnung wie 1, 2 oder filiale-a.",
  "invalidInstanceLabel.empty": "Geben Sie mindestens eine Instanzbezeichnung an.",
  duplicateInstance: "Die Instanzbezeichnung {value} kommt für {component} zweimal vor (Groß- und Kleinschreibung zählen nicht).",
  tooManyInstances: "{count} Instanzen von {component} angefordert; höchstens 20 sind erlaubt.",
  singleInstanceComponent: "{component} hat genau eine App; Instanzen gibt es nur für Komponenten mit mehreren Instanzen.",
  invalidPrefix: "Das Namenspräfix muss mit einem Buchstaben oder einer Ziffer beginnen, darf nur Buchstaben, Ziffern, Leerzeichen, „-“, „_“ und „.“ enthalten und nicht auf ein Leerzeichen enden.",
  "nameTooLong.prefix": "Das Namenspräfix hat {count} Zeichen; höchstens 40 sind erlaubt.",
  nameTooLong: "Ein Anzeigename würde länger als 120 Zeichen oder ein App-Schlüssel länger als 64; wählen Sie ein kürzeres Präfix oder kürzere Instanzbezeichnungen.",
  invalidRedirectUri: "{value} ist keine zulässige Umleitungs-URI: erlaubt ist https:// (http:// nur für localhost und 127.0.0.1) mit einem Host, höchstens 256 Zeichen, ohne Fragment („#…“), Leerzeichen, Anmeldedaten vor dem Host und ohne die Zeichen ! $ ' ( ) , ;",
  "invalidRedirectUri.twice": "{value} steht zweimal in der Liste.",
  "invalidRedirectUri.tooMany": "Höchstens 256 Umleitungs-URIs je App sind erlaubt.",
  secretLifetimeOutOfRange: "Die Gültigkeit der Geheimnisse muss eine ganze Zahl von Monaten zwischen 1 und 24 sein.",
  unknownPermission: "{value} ist keine optionale Berechtigung dieser Komponente.",
  invalidGuid: "{field} muss eine GUID sein (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).",
  unknownKind: "{field} muss {delegated} oder {application} sein.",
  duplicatePermission: "Diese Berechtigung steht zweimal in der Komponente.",
  emptyComponent: "Die Komponente hat keine Berechtigungen; jede LUCS-App braucht mindestens eine.",
  invalidCatalog: "Dieser Eintrag des Katalogs ist ungültig.",
  "invalidCatalog.profile": "Das Profil muss die LUCS-Version nennen, die der Katalog beschreibt (eine Zeile, höchstens 200 Zeichen).",
  "invalidCatalog.components": "Der Katalog muss mindestens eine Komponente enthalten.",
  "invalidCatalog.code": "Ein Komponentencode hat 1–24 Buchstaben oder Ziffern, beginnt mit einem Buchstaben und kommt nur einmal vor.",
  "invalidCatalog.name": "Der Name darf nicht leer sein und höchstens 80 Zeichen haben.",
  "invalidCatalog.purpose": "Der Zweck darf nicht leer sein und höchstens 300 Zeichen haben.",
  "invalidCatalog.errata": "Ein Erratum darf nicht leer sein und höchstens 600 Zeichen haben.",
  "invalidCatalog.description": "Die Beschreibung darf nicht leer sein und höchstens 300 Zeichen haben.",
  "invalidCatalog.value": "Ein Berechtigungsname wie Mail.Send besteht aus Buchstaben, Ziffern und . _ -",
  "invalidCatalog.id": "Eine Berechtigung hat überall dieselbe ID; hier steht eine andere als in einer anderen Komponente.",
  "invalidCatalog.adminConsentRequired": "Anwendungsberechtigungen erfordern immer die Administratorzustimmung.",
  invalidText: "{field} enthält ein Steuer-, Zeilentrenn- oder Bidi-Zeichen; verwenden Sie einfachen Text in einer Zeile.",
  tooLarge: "{field} ist größer als erlaubt.",
  "tooLarge.catalog": "Der Katalog ist größer als 1 MiB (1048576 Bytes).",
  "tooLarge.components": "Zu viele Komponenten: höchstens 200 sind erlaubt.",
  "tooLarge.permissions": "Zu viele Berechtigungen in einer Komponente: höchstens 100 sind erlaubt.",
  "tooLarge.errata": "Zu viele Errata in einer Komponente: höchstens 20 sind erlaubt.",
  unknownFormat: "Unbekanntes Exportformat.",
};

// By the stop's kind (RunStoppedError.kind): what happened, in the admin's terms.
export const STOPS_DE = {
  withKey: "{what} (App {key})",
  permissionMismatch: "Eine Berechtigung des Plans passt nicht zum Microsoft Graph dieses Mandanten.",
  forbidden: "Microsoft Graph hat einen Aufruf verweigert: dem angemeldeten Konto fehlt eine Rolle oder dem Token eine Berechtigung.",
  insufficientScope: "Dem Token fehlt eine delegierte Berechtigung, die dieser Aufruf braucht.",
  softDeleted: "Eine gelöschte App (30 Tage in den gelöschten Elementen) hält den eindeutigen Namen einer geplanten App.",
  replicationTimeout: "Entra hat ein neues Objekt nicht rechtzeitig sichtbar gemacht; meist geschieht das innerhalb von Minuten.",
  throttled: "Microsoft Graph hat zu oft gedrosselt oder nicht geantwortet; der Lauf hat nach den erlaubten Versuchen angehalten.",
  failed: "Der Lauf ist an einem Fehler von Microsoft Graph angehalten.",
  cancelled: "Der Lauf wurde abgebrochen.",
  foreignApps: "Unter einem geplanten Schlüssel gibt es eine App, die nicht nachweislich von diesem Werkzeug stammt; es wurde nichts geschrieben.",
  policyRefused: "Eine App-Verwaltungsrichtlinie des Mandanten lässt diesen geheimen Clientschlüssel nicht zu (zu lange Laufzeit oder keine Schlüssel erlaubt); es wurde nichts hinzugefügt.",
};

function warningPartsIn(lang, w) {
  if (lang !== "de") return [w.message];
  const lead = w.component === null ? "" : `${w.component}: `;
  const detail = w.message.startsWith(lead) ? w.message.slice(lead.length) : null;
  const component = w.component ?? "";
  if ((w.code === "erratum" || w.code === "broadPermission") && detail !== null) {
    return fill(WARNINGS_DE.sentence, { component, text: catalogTextIn(lang, detail) });
  }
  // The only warning whose detail is not a sentence of its own: "optional permission <value> is <state>."
  const optional = w.code === "optionalPermission" && /^optional permission (\S+) is (included|left out)\.$/.exec(detail ?? "");
  if (optional) {
    const key = optional[2] === "included" ? "optionalIncluded" : "optionalLeftOut";
    return fill(WARNINGS_DE[key], { component, permission: optional[1] });
  }
  if (w.code === "noCredential" || w.code === "noConsent") return fill(WARNINGS_DE[w.code], { component });
  return [w.message];
}

/** The value at a core field path such as `components[1].redirectUris.web[0]` in `source`, if any. */
export function valueAt(source, field) {
  let value = source;
  for (const [, name, index] of (field ?? "").matchAll(/([A-Za-z]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== "object") return undefined;
    value = value[name ?? Number(index)];
  }
  return value;
}

const PLATFORMS = new Set(["web", "spa", "publicClient"]);

/** Which German sentence fits an error: its code, or "code.detail" where one code covers several rules. */
export function errorKey(err, source) {
  const field = err.field ?? "";
  const last = /([A-Za-z]+)(\[\d+\])?$/.exec(field)?.[1] ?? "";
  const value = valueAt(source, field);
  switch (err.code) {
    case "invalidInput":
      if (field === "options.secretLifetimeMonths") return "secretLifetimeOutOfRange";
      return value === undefined || value === null ? "invalidInput.missing" : "invalidInput";
    case "invalidInstanceLabel":
      if (Array.isArray(value)) return "invalidInstanceLabel.empty";
      return String(value ?? "").trim() === "" ? "invalidInstanceLabel.blank" : "invalidInstanceLabel";
    case "nameTooLong":
      return field === "prefix" && String(source?.prefix ?? "").length > 40 ? "nameTooLong.prefix" : "nameTooLong";
    case "invalidRedirectUri": {
      if (PLATFORMS.has(last) && !field.endsWith("]")) return "invalidRedirectUri.tooMany";
      const list = valueAt(source, field.replace(/\[\d+\]$/, ""));
      const index = Number(/\[(\d+)\]$/.exec(field)?.[1]);
      return Array.isArray(list) && list.indexOf(value) < index ? "invalidRedirectUri.twice" : "invalidRedirectUri";
    }
    case "tooLarge":
    case "invalidCatalog":
      return ERRORS_DE[`${err.code}.${last}`] ? `${err.code}.${last}` : err.code;
    default:
      return err.code;
  }
}

function errorPartsIn(lang, err, source, { withField = false } = {}) {
  const key = errorKey(err, source);
  const template = ERRORS_DE[key];
  if (lang !== "de" || !template) return [withField && err.field ? `${err.field}: ${err.message}` : err.message];
  const value = valueAt(source, err.field);
  const at = /^components\[(\d+)\]/.exec(err.field ?? "");
  const vars = {
    field: literal(err.field ?? ""),
    value: literal(typeof value === "object" ? JSON.stringify(value) : String(value ?? "")),
    count: Array.isArray(value) ? value.length : String(value ?? "").length,
    component: at ? String(valueAt(source, `components[${at[1]}].code`) ?? "") : "",
    delegated: literal("delegated"),
    application: literal("application"),
  };
  const parts = fill(template, vars);
  return withField && err.field && !template.includes("{field}") ? [literal(err.field), ": ", ...parts] : parts;
}

function stopPartsIn(lang, err) {
  if (err.code !== "runStopped") return errorPartsIn(lang, err, null);
  const what = STOPS_DE[err.kind];
  if (lang !== "de" || !what) return [err.message];
  return err.key ? fill(STOPS_DE.withKey, { what, key: literal(err.key) }) : [what];
}

// Pre-flight's sentences (blockers and warnings) carry no code: they are built from Microsoft's role table
// (src/microsoft/roles.rs) and a few fixed endings (src/engine/preflight.rs), and read back here by that shape.
// Role names are Microsoft's and stay as they are.
export const PREFLIGHT_DE = {
  "Registering applications": "Apps zu registrieren",
  "Consent to delegated permissions": "Delegierten Berechtigungen zuzustimmen",
  "Consent to application permissions of Microsoft Graph or Azure AD Graph": "Anwendungsberechtigungen von Microsoft Graph oder Azure AD Graph zuzustimmen",
  "Consent to application permissions of other APIs": "Anwendungsberechtigungen anderer APIs zuzustimmen",
  needs: "{what}{which} erfordert die Rolle {roles}.",
  or: "oder",
  " This tenant does not let every member register applications.": " Dieser Mandant erlaubt nicht jedem Mitglied, Apps zu registrieren.",
  " Unless the tenant lets every member register applications (by default it does; its authorization policy could not be read with this token, which takes Policy.Read.All).":
    " Es sei denn, der Mandant erlaubt jedem Mitglied, Apps zu registrieren (standardmäßig ja; seine Autorisierungsrichtlinie ließ sich mit diesem Token nicht lesen, dafür braucht es Policy.Read.All).",
  " You are eligible for it but it is not active: activate it in Privileged Identity Management first, then check again.":
    " Sie sind dafür berechtigt, die Rolle ist aber nicht aktiv: aktivieren Sie sie zuerst in Privileged Identity Management und prüfen Sie dann erneut.",
  " No such role was found for you.": " Für Sie wurde keine solche Rolle gefunden.",
  "Your directory roles came back without their names (the token has too few scopes to read them): pre-flight cannot tell what you may do; Microsoft Graph will say if a role is missing.":
    "Ihre Verzeichnisrollen kamen ohne Namen zurück (das Token hat zu wenige Berechtigungen, um sie zu lesen): die Vorabprüfung kann nicht sagen, was Sie dürfen; Microsoft Graph meldet es, wenn eine Rolle fehlt.",
  "Roles you are eligible for in Privileged Identity Management could not be read with this token; if a role is eligible but not active, activate it before registering.":
    "Rollen, für die Sie in Privileged Identity Management berechtigt sind, ließen sich mit diesem Token nicht lesen; ist eine Rolle berechtigt, aber nicht aktiv, aktivieren Sie sie vor dem Registrieren.",
};

const NEEDS = /^(Registering applications|Consent to delegated permissions|Consent to application permissions of Microsoft Graph or Azure AD Graph|Consent to application permissions of other APIs)( \([^)]*\))? needs the (.+) role\.((?: [^.]+(?:\([^)]*\))?[^.]*\.)*)$/;

function preflightPartsIn(lang, text) {
  if (lang !== "de") return [text];
  if (PREFLIGHT_DE[text]) return [PREFLIGHT_DE[text]];
  const m = NEEDS.exec(text);
  if (!m) return [text];
  let rest = m[4];
  const endings = [];
  while (rest) {
    const ending = Object.keys(PREFLIGHT_DE).find((k) => k.startsWith(" ") && rest.startsWith(k));
    if (!ending) return [text];
    endings.push(PREFLIGHT_DE[ending]);
    rest = rest.slice(ending.length);
  }
  const roles = m[3].replace(/ or ([^,]+)$/, ` ${PREFLIGHT_DE.or} $1`);
  const sentence = fill(PREFLIGHT_DE.needs, { what: PREFLIGHT_DE[m[1]], which: m[2] ?? "", roles });
  // "Apps zu registrieren erfordert …": the German sentence starts with a capital like the English one.
  return [sentence.join("") + endings.join("")];
}

/** The parts as one string, for places that hold text only (an option, an attribute). */
export const asText = (parts) => parts.map((part) => (typeof part === "string" ? part : part.textContent)).join("");

/**
 * The core's texts in the language `language()` names ("de" or anything else for the core's English), each as a
 * list of strings and nodes (values set off as <code>).
 */
export function coreWords(language) {
  return {
    /** A catalog sentence (purpose, erratum, description). */
    catalogText: (text) => catalogTextIn(language(), text),
    /** A plan warning. */
    warningParts: (w) => warningPartsIn(language(), w),
    /**
     * An error of the core. `source` is the input it is about (the plan request or the catalog), where the values
     * it names are looked up; `withField` puts the field first, as a catalog error needs it to be found in the file.
     */
    errorParts: (err, source, options) => errorPartsIn(language(), err, source, options),
    /**
     * A stopped run (code "runStopped", or a run record's stop kind and key); any other error as errorParts says it.
     */
    stopParts: (err) => stopPartsIn(language(), err),
    /** One of pre-flight's blockers or warnings. */
    preflightParts: (text) => preflightPartsIn(language(), text),
  };
}
