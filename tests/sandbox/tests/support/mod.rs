//! The sandbox binary on a free loopback port, and raw HTTP/1.1 requests to it: the server tests speak bytes so
//! they can send what no well-behaved client would.
#![allow(dead_code)] // Each test file uses a different part.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Sandbox {
    pub child: Child,
    pub port: u16,
    /// The tenant id the start-up line names.
    pub tenant_id: String,
}

impl Sandbox {
    /// Starts the binary on a free port (through `sh` when a file-descriptor limit is wanted).
    pub fn start(args: &[&str], fd_limit: Option<u32>) -> Sandbox {
        let bin = env!("CARGO_BIN_EXE_lucs-sandbox");
        let mut cmd = match fd_limit {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(format!("ulimit -n {n} && exec \"$0\" \"$@\"")).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let mut child = cmd.args(["--port", "0"]).args(args).stdout(Stdio::piped()).spawn().expect("sandbox starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.split("127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok());
        let tenant_id = line.split("tenant ").nth(1).map(|r| r.trim_end().trim_end_matches(')').to_string());
        Sandbox {
            child,
            port: port.unwrap_or_else(|| panic!("no port in {line:?}")),
            tenant_id: tenant_id.unwrap_or_else(|| panic!("no tenant in {line:?}")),
        }
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s
    }

    /// One request; the status, the raw head of the answer (lower case) and its body.
    pub fn exchange(&self, head: &str, body: &[u8]) -> (u16, String, String) {
        let mut s = self.connect();
        s.write_all(head.replace("{port}", &self.port.to_string()).as_bytes()).unwrap();
        let _ = s.write_all(body);
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        (status, head.to_ascii_lowercase(), body.to_string())
    }

    /// One request; the status and the raw head of the answer (lower case).
    pub fn request(&self, head: &str, body: &[u8]) -> (u16, String) {
        let (status, head, _) = self.exchange(head, body);
        (status, head)
    }

    pub fn get(&self, path: &str, extra: &str) -> (u16, String) {
        self.request(
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{{port}}\r\n{extra}Connection: close\r\n\r\n"),
            b"",
        )
    }

    /// A GET whose JSON body is wanted too.
    pub fn get_json(&self, path: &str, extra: &str) -> (u16, serde_json::Value) {
        let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{{port}}\r\n{extra}Connection: close\r\n\r\n");
        let (status, _, body) = self.exchange(&head, b"");
        (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
    }

    /// A token from the sandbox's own token endpoint (`query` is its query string, may be empty).
    pub fn token(&self, query: &str) -> String {
        let (status, body) = self.get_json(&format!("/sandbox/token?{query}"), "");
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    /// utime + stime of the process, in clock ticks.
    pub fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        let after_name = stat.rsplit_once(')').unwrap().1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
