// One CSV field: RFC 4180 quoting (a comma, quote or line break quotes the field, its quotes doubled), and a value a
// spreadsheet would run as a formula (=, +, -, @, tab or CR first) prefixed with an apostrophe (OWASP, CSV
// injection). The IDs sheet, the configuration sheet and the health report all write through it.
export function csvField(v) {
  const s = String(v ?? "");
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
