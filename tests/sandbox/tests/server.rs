#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The sandbox server's limits, against the real binary over loopback: body size, header and idle timeouts,
//! back-off when file descriptors run out, same-origin only on the control endpoints, and room for the page
//! however many idle connections others hold.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use support::Sandbox;

/// Blocks until the server closes the connection; how long that took.
fn closed_after(mut s: TcpStream) -> Duration {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return started.elapsed(),
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                panic!("still open after {:?}", started.elapsed())
            }
            Err(_) => return started.elapsed(),
        }
    }
}

#[test]
fn a_body_over_the_limit_is_refused_with_413() {
    let sb = Sandbox::start(&[], None);
    let declared = "POST /v1.0/$batch HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 800000000\r\nConnection: close\r\n\r\n";
    assert_eq!(sb.request(declared, b"{").0, 413, "a declared length over the cap is refused before reading");
    let chunk = vec![b'a'; 64 * 1024];
    let mut s = sb.connect();
    s.write_all(
        b"POST /sandbox/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    for _ in 0..20 {
        if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).is_err() || s.write_all(&chunk).is_err() {
            break;
        }
        let _ = s.write_all(b"\r\n");
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.80}");
    assert_eq!(sb.get("/sandbox/state", "").0, 200, "still serving");
}

#[test]
fn half_sent_headers_and_stalled_bodies_are_cut_off() {
    let sb = Sandbox::start(&["--header-timeout-ms", "300", "--idle-timeout-ms", "600"], None);
    let mut s = sb.connect();
    s.write_all(b"GET /sandbox/state HTTP/1.1\r\nHost: 127").unwrap();
    assert!(closed_after(s) < Duration::from_secs(3), "header timeout");
    let mut s = sb.connect();
    s.write_all(b"POST /sandbox/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"drop\"").unwrap();
    assert!(closed_after(s) < Duration::from_secs(3), "idle timeout on a stalled body");
    let mut s = sb.connect();
    s.write_all(b"GET /sandbox/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    assert!(closed_after(s) < Duration::from_secs(3), "an idle keep-alive connection is closed too");
}

#[test]
fn accept_errors_back_off_instead_of_spinning() {
    // With 32 descriptors the server runs out after a few connections; the rest wait in the backlog.
    let sb = Sandbox::start(&[], Some(32));
    let held: Vec<TcpStream> = (0..60).filter_map(|_| TcpStream::connect(("127.0.0.1", sb.port)).ok()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let before = sb.cpu_ticks();
    std::thread::sleep(Duration::from_secs(1));
    let used = sb.cpu_ticks() - before;
    assert!(used < 30, "the server used {used} ticks of CPU in a second while out of descriptors");
    drop(held);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(sb.get("/sandbox/state", "").0, 200, "serves again once descriptors are free");
}

#[test]
fn control_endpoints_answer_their_own_origin_only() {
    let sb = Sandbox::start(&["--allow-origin", "http://127.0.0.1:9"], None);
    let port = sb.port;
    let (status, head) = sb.get("/sandbox/token", "Origin: https://evil.test\r\n");
    assert_eq!(status, 403);
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    let reset = "POST /sandbox/reset HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.test\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n";
    assert_eq!(sb.request(reset, b"{}").0, 403, "a cross-site form post cannot reset the tenant");
    let preflight = "OPTIONS /sandbox/faults HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.test\r\nConnection: close\r\n\r\n";
    let (status, head) = sb.request(preflight, b"");
    assert!(status == 403 && !head.contains("access-control-allow-origin"), "{head}");
    let rebound = format!("GET /sandbox/token HTTP/1.1\r\nHost: evil.test:{port}\r\nOrigin: http://evil.test:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(sb.request(&rebound, b"").0, 403, "a DNS-rebound page is not same-origin");
    assert_eq!(sb.get("/sandbox/token", "Origin: null\r\n").0, 403);

    let (status, head) = sb.get("/sandbox/token", &format!("Origin: http://127.0.0.1:{port}\r\n"));
    assert_eq!(status, 200, "the page the sandbox serves may");
    assert!(head.contains(&format!("access-control-allow-origin: http://127.0.0.1:{port}\r\n")), "{head}");
    assert_eq!(sb.get("/sandbox/state", "").0, 200, "tools send no Origin");
    let (status, head) = sb.get("/sandbox/state", "Origin: http://127.0.0.1:9\r\n");
    assert_eq!(status, 200, "an origin allowed by flag");
    assert!(head.contains("access-control-allow-origin: http://127.0.0.1:9\r\n"), "and told so: {head}");

    let (status, head) = sb.get("/v1.0/me", "Origin: https://evil.test\r\n");
    assert_eq!(status, 401, "Graph still wants a token");
    assert!(!head.contains("access-control-allow-origin"), "nor do Graph routes answer other origins: {head}");
}

/// A page or a stuck client holding connections open without a request must not lock out the page `make demo`
/// serves: at the cap, the connection idle longest makes way for the new one.
#[test]
fn two_thousand_idle_connections_leave_the_page_and_graph_answering() {
    let site = std::env::temp_dir().join(format!("lucs-sandbox-site-{}", std::process::id()));
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "<!doctype html><title>planner</title>").unwrap();
    let sb = Sandbox::start(&["--site", site.to_str().unwrap()], None);
    let token = sb.token("");
    let address = SocketAddr::from(([127, 0, 0, 1], sb.port));
    let mut idle = Vec::new();
    while idle.len() < 2000 {
        // A handshake the full backlog dropped is retried after a second; longer means none is accepted.
        match TcpStream::connect_timeout(&address, Duration::from_secs(3)) {
            Ok(s) => idle.push(s),
            Err(e) => panic!("connection {} not accepted within 3 s: {e}", idle.len() + 1),
        }
    }
    let started = Instant::now();
    let (status, _, page) = sb.exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n", b"");
    assert_eq!((status, page.contains("planner")), (200, true), "the page");
    let (status, me) = sb.get_json("/v1.0/me", &format!("Authorization: Bearer {token}\r\n"));
    assert_eq!(status, 200, "a Graph call: {me}");
    assert!(started.elapsed() < Duration::from_secs(3), "answered after {:?}", started.elapsed());
    drop(idle);
    let _ = std::fs::remove_dir_all(&site);
}
