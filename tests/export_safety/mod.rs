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

/// The signed-in user of the stub tenant.
pub const ME: &str = "aaaaaaaa-0000-4000-8000-000000000001";
pub const ME_UPN: &str = "admin@contoso.test";
pub const TENANT: &str = "cccccccc-0000-4000-8000-000000000001";

/// A scratch directory with a stub `az` (`tests/tools/stub-az`) in front of a tiny tenant: it records every call
/// (argv, in order) and answers the calls the az-cli export makes the way az and Graph would, so the whole script
/// runs without Azure. The tenant starts empty but for the signed-in user; `seed_app` adds apps made by others.
pub struct StubAz {
    pub dir: PathBuf,
}

/// What one run of a script against the stub did.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
    /// Every az call, in order, each as its argv.
    pub calls: Vec<Vec<String>>,
}

impl StubAz {
    pub fn new(name: &str) -> StubAz {
        let dir = std::env::temp_dir().join(format!("lucs-stub-az-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).expect("scratch dir");
        std::fs::create_dir_all(dir.join("tenant/apps")).expect("tenant dir");
        let stub = dir.join("bin/az");
        std::fs::write(&stub, include_str!("../tools/stub-az")).expect("stub");
        // The scripts back off with `sleep` between retries; here a failing call should fail the test at once.
        let sleep = dir.join("bin/sleep");
        std::fs::write(&sleep, "#!/bin/sh\nexit 0\n").expect("sleep");
        Command::new("chmod").arg("+x").arg(&stub).arg(&sleep).status().expect("chmod");
        std::fs::write(dir.join("tenant/me"), format!("{ME}\t{ME_UPN}")).expect("me");
        std::fs::write(dir.join("tenant/tenant"), TENANT).expect("tenant");
        StubAz { dir }
    }

    /// Where a payload would leave its mark if it ever ran.
    pub fn marker(&self) -> PathBuf {
        self.dir.join("pwned")
    }

    pub fn app_dir(&self, object_id: &str) -> PathBuf {
        self.dir.join("tenant/apps").join(object_id)
    }

    /// An app someone made in the tenant: its ids, its key if it has one, its display name, and its owners as
    /// (object id, userPrincipalName).
    pub fn seed_app(&self, object_id: &str, app_id: &str, key: Option<&str>, name: &str, owners: &[(&str, &str)]) {
        let dir = self.app_dir(object_id);
        std::fs::create_dir_all(&dir).expect("app dir");
        std::fs::write(dir.join("appId"), app_id).expect("appId");
        if let Some(key) = key {
            std::fs::write(dir.join("uniqueName"), key).expect("uniqueName");
        }
        std::fs::write(dir.join("displayName"), name).expect("displayName");
        std::fs::write(dir.join("body"), "").expect("body");
        let owners: String = owners.iter().map(|(id, upn)| format!("{id}\t{upn}\t\n")).collect();
        std::fs::write(dir.join("owners"), owners).expect("owners");
    }

    /// The next lookup of `key` answers 404 although an app holds it: the app appeared between a lookup and a write.
    pub fn hide_once(&self, key: &str) {
        std::fs::create_dir_all(self.dir.join("tenant/hide_once")).expect("hide_once dir");
        std::fs::write(self.dir.join("tenant/hide_once").join(key), "").expect("hide_once");
    }

    /// What was written to an app: one line per write, and one per secret added.
    pub fn writes(&self, object_id: &str) -> (String, String) {
        let dir = self.app_dir(object_id);
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
        (read("writes"), read("passwords"))
    }

    /// The owners of an app now, by object id.
    pub fn owners(&self, object_id: &str) -> Vec<String> {
        let text = std::fs::read_to_string(self.app_dir(object_id).join("owners")).unwrap_or_default();
        text.lines().filter_map(|l| l.split('\t').next()).filter(|id| !id.is_empty()).map(str::to_string).collect()
    }

    /// The apps of the tenant now: (object id, key if any).
    pub fn apps(&self) -> Vec<(String, Option<String>)> {
        let mut apps: Vec<_> = std::fs::read_dir(self.dir.join("tenant/apps"))
            .map(|d| d.flatten().collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                let key = std::fs::read_to_string(e.path().join("uniqueName")).ok();
                (e.file_name().to_string_lossy().into_owned(), key)
            })
            .collect();
        apps.sort();
        apps
    }

    /// Runs the script with the stub first on PATH and `env` set; fails only if bash could not be started.
    pub fn run_with(&self, script: &str, env: &[(&str, &str)]) -> Result<Run, String> {
        let log = self.dir.join("calls");
        let _ = std::fs::remove_dir_all(&log);
        std::fs::create_dir_all(&log).map_err(|e| e.to_string())?;
        let path = format!("{}:{}", self.dir.join("bin").display(), std::env::var("PATH").unwrap_or_default());
        let mut command = Command::new("bash");
        command
            .arg("-s")
            .current_dir(&self.dir)
            .env("PATH", path)
            .env("AZ_LOG", &log)
            .env("AZ_TENANT", self.dir.join("tenant"))
            .env("LUCS_IDS_CSV", self.dir.join("ids.csv"))
            .env_remove("LUCS_ADOPT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().map_err(|e| e.to_string())?;
        child.stdin.take().ok_or("stdin")?.write_all(script.as_bytes()).map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&log).map_err(|e| e.to_string())?.flatten().map(|e| e.path()).collect();
        files.sort();
        let mut calls = vec![];
        for file in files {
            let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
            let bytes = bytes.strip_suffix(&[0]).unwrap_or(&bytes);
            calls.push(bytes.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect());
        }
        Ok(Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            calls,
        })
    }

    /// One call to the stub `az`, as a script would make it: its standard output.
    pub fn az(&self, args: &[&str]) -> Result<String, String> {
        let log = self.dir.join("calls");
        std::fs::create_dir_all(&log).map_err(|e| e.to_string())?;
        let out = Command::new(self.dir.join("bin/az"))
            .args(args)
            .env("AZ_LOG", &log)
            .env("AZ_TENANT", self.dir.join("tenant"))
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Runs the script against the stub; returns the recorded calls, or the script's errors if it failed.
    pub fn run(&self, script: &str) -> Result<Vec<Vec<String>>, String> {
        let run = self.run_with(script, &[])?;
        if run.ok {
            Ok(run.calls)
        } else {
            Err(format!("script failed: {}", run.stderr))
        }
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
        // The exact Graph body, display name included, must reach az as one argument (JSON escapes what an argv
        // could not hold, such as NUL).
        let body = serde_json::to_string(&app.application).map_err(|e| e.to_string())?;
        let sent = calls.iter().any(|c| c.windows(2).any(|w| w[0] == "--body" && w[1] == body));
        if !sent {
            return Err(format!("az: the body of {:?} did not reach az as one argument", app.display_name));
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
