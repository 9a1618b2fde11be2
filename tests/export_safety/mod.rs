//! What "an export is safe" means, checked per tool: the script parses, and text from the plan stays data.
//! Each check compares a plan carrying hostile text with the same plan carrying plain text: outside string
//! literals and comments the two exports must be identical, so no payload changed the script's structure.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lucs_registrar::export::{export, Format};
use lucs_registrar::plan::Plan;

/// Characters that end a line for some tool or editor; comments and literals must never let one through raw.
const LINE_ENDS: [char; 5] = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];

/// A bash script with its single-quoted words (`'…'` joined by `\'`) blanked and its comments cut.
pub fn bash_skeleton(script: &str) -> String {
    let mut out = String::new();
    let mut chars = script.chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // One quoted word: 'a'\''b' is a single literal.
                loop {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                    let mut look = chars.clone();
                    if look.next() == Some('\\') && look.next() == Some('\'') && look.next() == Some('\'') {
                        chars.next();
                        chars.next();
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push_str("''");
            }
            '#' if word_start => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
                out.push('#');
            }
            '\\' => {
                out.push(c);
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            c => out.push(c),
        }
        word_start = matches!(out.chars().last(), Some(' ' | '\n' | '\t' | ';' | '(' | '|' | '&') | None);
    }
    out
}

/// A PowerShell script with single-quoted strings (quotes doubled, typographic quotes included) blanked and
/// comments cut; a comment ends at any line end PowerShell or an editor might honour.
pub fn powershell_skeleton(script: &str) -> String {
    let quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    let mut out = String::new();
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if quote(c) {
            while let Some(c) = chars.next() {
                if quote(c) {
                    if chars.peek().is_some_and(|n| quote(*n)) {
                        chars.next();
                    } else {
                        break;
                    }
                }
            }
            out.push_str("''");
        } else if c == '#' {
            while chars.peek().is_some_and(|c| !LINE_ENDS.contains(c)) {
                chars.next();
            }
            out.push('#');
        } else {
            out.push(c);
        }
    }
    out
}

/// The structure of an HCL body: block types, label counts and attribute names, recursively.
pub fn hcl_shape(body: &hcl::Body) -> Vec<String> {
    let mut shape = Vec::new();
    for attr in body.attributes() {
        shape.push(format!("attr {}", attr.key()));
    }
    for block in body.blocks() {
        shape.push(format!("block {} /{}", block.identifier(), block.labels().len()));
        shape.extend(hcl_shape(block.body()).into_iter().map(|s| format!("  {s}")));
    }
    shape
}

/// RFC 4180 records.
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = vec![];
    let mut record = vec![];
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted CSV field");
    records
}

pub fn bash_n(script: &str) -> Result<(), String> {
    let mut child = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child.stdin.take().ok_or("stdin")?.write_all(script.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A scratch directory with a stub `az` that records every argv (one file per call, each argument ended by NUL)
/// and answers with an id, so the whole script runs without Azure.
pub struct StubAz {
    pub dir: PathBuf,
}

impl StubAz {
    pub fn new(name: &str) -> StubAz {
        let dir = std::env::temp_dir().join(format!("lucs-stub-az-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).expect("scratch dir");
        let stub = dir.join("bin/az");
        std::fs::write(
            &stub,
            "#!/bin/sh\ncall=\"$AZ_LOG/$$\"\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> \"$call\"; done\necho 00000000-0000-0000-0000-0000000000aa\n",
        )
        .expect("stub");
        Command::new("chmod").arg("+x").arg(&stub).status().expect("chmod");
        StubAz { dir }
    }

    /// Where a payload would leave its mark if it ever ran.
    pub fn marker(&self) -> PathBuf {
        self.dir.join("pwned")
    }

    /// Runs the script with the stub first on PATH; returns the recorded calls.
    pub fn run(&self, script: &str) -> Result<Vec<Vec<String>>, String> {
        let log = self.dir.join("calls");
        let _ = std::fs::remove_dir_all(&log);
        std::fs::create_dir_all(&log).map_err(|e| e.to_string())?;
        let path = format!("{}:{}", self.dir.join("bin").display(), std::env::var("PATH").unwrap_or_default());
        let mut child = Command::new("bash")
            .arg("-s")
            .current_dir(&self.dir)
            .env("PATH", path)
            .env("AZ_LOG", &log)
            .env("LUCS_IDS_CSV", self.dir.join("ids.csv"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        child.stdin.take().ok_or("stdin")?.write_all(script.as_bytes()).map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("script failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let mut calls = vec![];
        for entry in std::fs::read_dir(&log).map_err(|e| e.to_string())? {
            let bytes = std::fs::read(entry.map_err(|e| e.to_string())?.path()).map_err(|e| e.to_string())?;
            let args = bytes.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned());
            calls.push(args.collect());
        }
        Ok(calls)
    }
}

impl Drop for StubAz {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Every export of `hostile` parses and has the structure of the same export of `plain` (the same plan with
/// harmless text in the same place); the az script also runs against the stub without running the payload.
pub fn assert_exports_safe(hostile: &Plan, plain: &Plan, stub: &StubAz) -> Result<(), String> {
    let az = export(hostile, Format::AzCli, None);
    bash_n(&az)?;
    if bash_skeleton(&az) != bash_skeleton(&export(plain, Format::AzCli, None)) {
        return Err(format!("az: text changed the script's structure\n{az}"));
    }
    let calls = stub.run(&az)?;
    if stub.marker().exists() || Path::new("pwned").exists() {
        return Err(format!("az: the payload ran\n{az}"));
    }
    for app in &hostile.applications {
        // An argv cannot hold NUL (a C string ends there), so bash drops it: compare without it.
        let name = app.display_name.replace('\0', "");
        let named = calls.iter().any(|c| c.windows(2).any(|w| w[0] == "--display-name" && w[1] == name));
        if !named {
            return Err(format!("az: {:?} did not reach az as one argument", app.display_name));
        }
    }
    let ps = export(hostile, Format::PowerShell, None);
    if powershell_skeleton(&ps) != powershell_skeleton(&export(plain, Format::PowerShell, None)) {
        return Err(format!("powershell: text changed the script's structure\n{ps}"));
    }
    let tf = export(hostile, Format::Terraform, None);
    let body: hcl::Body = hcl::from_str(&tf).map_err(|e| format!("terraform: {e}\n{tf}"))?;
    let plain_tf: hcl::Body = hcl::from_str(&export(plain, Format::Terraform, None)).map_err(|e| e.to_string())?;
    if hcl_shape(&body) != hcl_shape(&plain_tf) {
        return Err(format!("terraform: text added or removed blocks or attributes\n{tf}"));
    }
    let comments_safe =
        |text: &str| text.lines().filter(|l| l.trim_start().starts_with('#')).all(|l| !l.contains(LINE_ENDS));
    if !comments_safe(&tf) || !comments_safe(&ps) || !comments_safe(&az) {
        return Err("a comment holds a raw line end".to_string());
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&export(hostile, Format::ManifestJson, None)).map_err(|e| format!("manifest: {e}"))?;
    for (i, app) in hostile.applications.iter().enumerate() {
        let body = serde_json::to_value(&app.application).map_err(|e| e.to_string())?;
        if manifest["applications"][i]["application"] != body {
            return Err(format!("manifest: application {i} differs from the plan"));
        }
    }
    let rows = csv_records(&export(hostile, Format::IdsCsv, None));
    if rows.len() != hostile.applications.len() + 1 || rows.iter().any(|r| r.len() != 6) {
        return Err(format!("csv: {} rows, expected {} of 6 fields", rows.len(), hostile.applications.len() + 1));
    }
    for (row, app) in rows[1..].iter().zip(&hostile.applications) {
        let name = row[2].strip_prefix('\'').filter(|_| app.display_name.starts_with(['=', '+', '-', '@', '\t', '\r']));
        if name.unwrap_or(&row[2]) != app.display_name {
            return Err(format!("csv: display name {:?} read back as {:?}", app.display_name, row[2]));
        }
    }
    Ok(())
}
