// The page's words in English and German. Messages from the core (validation errors, warnings, exports) stay in
// English: they name fields and Microsoft's terms exactly.
export const WORDS = {
  en: {
    title: "LUCS App Registrar", sub: "planner",
    intro: "Choose the LUCS components to register in Microsoft Entra ID. The plan shows every application, the Microsoft Graph permissions it gets and the consent it needs; export it for az, PowerShell or Terraform.",
    components: "Components", naming: "Naming and options", prefix: "Name prefix", consent: "Grant admin consent for the whole organisation",
    secrets: "Client secrets", secretsAuto: "For components with application permissions", secretsAll: "For every app", secretsNone: "None",
    lifetime: "Secret lifetime (months)", plan: "Plan", apps: "applications", app: "application", key: "Key (uniqueName)", displayName: "Display name",
    permissions: "Permissions", consentCol: "Consent", secretCol: "Secret", notGranted: "not granted", months: "months",
    export: "Export", format: "Format", copy: "Copy", copied: "Copied", download: "Download", copiedAll: "Copied to the clipboard.",
    instances: "Instances (one app each)", labels: "Instance labels (comma-separated)", redirects: "Redirect URIs (one per line)",
    optional: "optional", adminConsent: "admin consent", copyId: "Copy the id of",
    files: "Save and load", saveRequest: "Save selections (JSON)", loadRequest: "Load selections", loadCatalog: "Load a custom catalog",
    builtinCatalog: "Use the built-in catalog", catalogLoaded: "Custom catalog loaded:", language: "Language",
    sandboxTitle: "Try it on the sandbox tenant", version: "Version",
    // Shown by ui/ and worded as the extension's _locales (tests/js/ui-words.test.mjs holds them together).
    component: "Component", instance: "Instance", appId: "Application (client) ID", tenantId: "Directory (tenant) ID",
    objectId: "Object ID", attempt: "attempt", reason_replication: "waiting for Entra replication",
    reason_throttled: "throttled", reason_token: "waiting for a fresh token",
  },
  de: {
    title: "LUCS App Registrar", sub: "Planer",
    intro: "Wählen Sie die LUCS-Komponenten, die in Microsoft Entra ID registriert werden sollen. Der Plan zeigt jede Anwendung, ihre Microsoft-Graph-Berechtigungen und die nötige Zustimmung; exportieren Sie ihn für az, PowerShell oder Terraform.",
    components: "Komponenten", naming: "Namen und Optionen", prefix: "Namenspräfix", consent: "Administratorzustimmung für die ganze Organisation erteilen",
    secrets: "Geheimnisse (Client Secrets)", secretsAuto: "Für Komponenten mit Anwendungsberechtigungen", secretsAll: "Für jede App", secretsNone: "Keine",
    lifetime: "Gültigkeit der Geheimnisse (Monate)", plan: "Plan", apps: "Anwendungen", app: "Anwendung", key: "Schlüssel (uniqueName)", displayName: "Anzeigename",
    permissions: "Berechtigungen", consentCol: "Zustimmung", secretCol: "Geheimnis", notGranted: "nicht erteilt", months: "Monate",
    export: "Export", format: "Format", copy: "Kopieren", copied: "Kopiert", download: "Herunterladen", copiedAll: "In die Zwischenablage kopiert.",
    instances: "Instanzen (je eine App)", labels: "Instanzbezeichnungen (durch Komma getrennt)", redirects: "Umleitungs-URIs (eine pro Zeile)",
    optional: "optional", adminConsent: "Administratorzustimmung", copyId: "ID kopieren von",
    files: "Speichern und laden", saveRequest: "Auswahl speichern (JSON)", loadRequest: "Auswahl laden", loadCatalog: "Eigenen Katalog laden",
    builtinCatalog: "Eingebauten Katalog verwenden", catalogLoaded: "Eigener Katalog geladen:", language: "Sprache",
    sandboxTitle: "Auf dem Sandbox-Mandanten ausprobieren", version: "Version",
    component: "Komponente", instance: "Instanz", appId: "Anwendungs-ID (Client)", tenantId: "Verzeichnis-ID (Mandant)",
    objectId: "Objekt-ID", attempt: "Versuch", reason_replication: "warte auf Entra-Replikation",
    reason_throttled: "gedrosselt", reason_token: "warte auf ein neues Token",
  },
};

let lang = (globalThis.localStorage?.getItem("lucs-lang") ?? globalThis.navigator?.language ?? "en").startsWith("de") ? "de" : "en";

export const t = (key) => WORDS[lang][key] ?? WORDS.en[key] ?? key;
export const language = () => lang;

export function setLanguage(next) {
  lang = next === "de" ? "de" : "en";
  localStorage.setItem("lucs-lang", lang);
  translate();
}

export function translate() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
}
