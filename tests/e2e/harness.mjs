// Shared by the browser tests: a static server for dist/www on 127.0.0.1 and Debian's headless Chromium.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

export async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    try {
      const body = await readFile(join(root, path.endsWith("/") ? `${path}index.html` : path));
      res.writeHead(200, { "content-type": TYPES[extname(path) || ".html"] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

// As root, Chromium needs --no-sandbox; the background-networking flags keep it off the (closed) network.
export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
}

export async function screenshot(page, name, fullPage = true) {
  await mkdir("test-results", { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png`, fullPage });
}

// The Graph sandbox on a free loopback port (it prints the URL it listens on), stopped with the test process.
export async function startSandbox(args) {
  const child = spawn("target/debug/lucs-sandbox", ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve(m[1]);
    });
    child.on("error", (err) => reject(new Error(`lucs-sandbox did not start (build it with cargo build -p lucs-sandbox): ${err.message}`)));
    child.on("exit", (code) => reject(new Error(`lucs-sandbox exited (${code}): ${out}`)));
  });
  // If the test process ends without close() — or is interrupted or killed by a timeout — the sandbox goes too;
  // a signal is then raised again so the process ends as it would have.
  const stop = () => child.kill();
  const onSignal = (signal) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.once("exit", stop);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    url,
    close: () => {
      process.off("exit", stop);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      stop();
    },
  };
}

/** The sandbox serving `site` beside its Graph tenant. */
export const sandbox = (site, extra = []) => startSandbox(["--site", site, ...extra]);
