// Shared by the planner page's browser tests: a static server for dist/www on 127.0.0.1, the Graph sandbox, and a
// page in a browser started by the one launcher of every browser test (realportal/browsers.mjs).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { BROWSERS, launch } from "./realportal/browsers.mjs";

/**
 * The browsers these tests run in: those LUCS_BROWSERS names (chromium, firefox), else Chromium alone — Firefox
 * ESR more than doubles the suite's time (Makefile, test-e2e), which `make test`'s budget has no room for.
 */
export const PAGE_BROWSERS = process.env.LUCS_BROWSERS ? BROWSERS : ["chromium"];

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

/**
 * A blank page in `kind` ("chromium" | "firefox") at 1200 × 900 with `lang` as the browser's language, before it
 * goes anywhere (so listeners see the first load). `problems` collects the page's uncaught errors.
 * `readClipboard()` is null in Firefox, which asks the user before a page may read the clipboard; in Chromium the
 * page at `origin` may read and write it.
 */
export async function blankPage(kind, { lang = "en", origin } = {}) {
  const browser = await launch(kind, null, { extension: false, lang, viewport: { width: 1200, height: 900 } });
  try {
    if (kind === "chromium" && origin) {
      await browser.raw.defaultBrowserContext()
        .overridePermissions(origin, ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
    }
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    return {
      page,
      problems,
      readClipboard: kind === "chromium" ? () => page.evaluate(() => navigator.clipboard.readText()) : null,
      close: () => browser.close(),
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** The page as shown, the whole page unless `fullPage` is false, in test-results/ (Firefox's named so). */
export async function screenshot(page, name, fullPage = true) {
  await mkdir("test-results", { recursive: true });
  const suffix = page.kind === "chromium" ? "" : `-${page.kind}`;
  await page.raw.screenshot({ path: `test-results/${name}${suffix}.png`, fullPage });
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
