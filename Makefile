# LUCS App Registrar. `make demo` runs the planner page; `make test` sets up everything it needs and tests.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

WASM_TARGET := wasm32-unknown-unknown
WASM_RAW    := target/$(WASM_TARGET)/release/lucs_registrar.wasm
PKG         := pkg
# The extension's Wasm: the same crate without the `exports` feature (Cargo.toml).
PKG_EXT     := target/pkg-extension
SITE        := dist/www
DEMO_PORT   ?= 8080
# --converge repeats -Oz until it stops paying; --low-memory-unused holds for Rust's layout (the stack comes first,
# so the low 1 KiB is only reached a whole stack deep). Together 4.3 KB raw, 2.2 KB gzip off the extension's Wasm.
WASM_OPT    := npx wasm-opt -Oz --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
export CHROMEDRIVER ?= /usr/bin/chromedriver
# puppeteer-core drives the system Chromium and Firefox ESR; nothing is downloaded.
export PUPPETEER_SKIP_DOWNLOAD := 1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner

.PHONY: help setup build pkg pkg-extension extension site demo test lint test-native test-wasm test-ts test-e2e test-realportal bench size-matrix wasm-breakdown wasm-breakdown-extension clean

help:
	@echo "make demo   - build and serve the planner page on http://127.0.0.1:$(DEMO_PORT)"
	@echo "make test   - install what is missing, then lint and run every test layer"
	@echo "make lint   - ESLint over extension/, www/, ui/, tests/; web-ext lint; rustfmt; clippy"
	@echo "make build  - release Wasm + JS glue into $(PKG)/ (planner page, tests) and the extension builds"
	@echo "make bench  - print the measured budgets as name=value lines: Graph round trips (round_trips, and"
	@echo "              round_trips_after_check right after Check), wall time, planning time, the health check's"
	@echo "              round trips and time (health_*), one app's last sign-ins, popup ready time, zip sizes,"
	@echo "              and both Wasm files raw and gzip (wasm_*: planner page, extension_wasm_*)"
	@echo "make extension - the release builds in dist/ (Chromium, Firefox) with the extension's Wasm (no exports,"
	@echo "              no custom catalogs)"
	@echo "make site   - the planner page in $(SITE)/ with the full Wasm"
	@echo "make size-matrix / wasm-breakdown[-extension] - where the Wasm's bytes go (the breakdowns need twiggy)"

# Idempotent: each step checks before it installs. wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
setup:
	@rustup target add $(WASM_TARGET) >/dev/null 2>&1 || rustup target add $(WASM_TARGET)
	@rustup component add rustfmt clippy >/dev/null 2>&1 || true
	@[ -f Cargo.lock ] || cargo generate-lockfile
	@want=$$(awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock); \
	 have=$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}' || true); \
	 if [ "$$have" != "$$want" ]; then \
	   echo "setup: installing wasm-bindgen-cli $$want (found: $${have:-none})"; \
	   cargo install wasm-bindgen-cli --version "$$want" --locked || cargo install wasm-bindgen-cli --version "$$want"; \
	 fi
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	   echo "setup: installing Chromium and ChromeDriver"; \
	   apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	 fi
	@if [ ! -x /usr/bin/firefox-esr ] || ! command -v certutil >/dev/null; then \
	   echo "setup: installing Firefox ESR and NSS tools (certutil)"; \
	   apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr libnss3-tools >/dev/null; \
	 fi
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	   npm ci --no-audit --no-fund --loglevel=error; \
	 fi

build: pkg extension

# Release Wasm → wasm-bindgen (--target web) → wasm-opt -Oz. wasm-bindgen's declarations say `any`; ours replace them.
pkg: setup
	cargo build --release --target $(WASM_TARGET) --lib
	rm -rf $(PKG)
	wasm-bindgen --target web --out-dir $(PKG) $(WASM_RAW)
	$(WASM_OPT) $(PKG)/lucs_registrar_bg.wasm -o $(PKG)/lucs_registrar_bg.wasm
	mv $(PKG)/lucs_registrar.d.ts $(PKG)/lucs_registrar.generated.d.ts
	cp src/lucs_registrar.d.ts $(PKG)/lucs_registrar.d.ts
	rm -f $(PKG)/lucs_registrar_bg.wasm.d.ts
	echo '{ "type": "module" }' > $(PKG)/package.json

# The extension's Wasm: without the exports (scripts and their prose are the planner page's); the release Wasm
# file is built again with the full feature set by `pkg`, so each copy is taken right after its own build.
pkg-extension: setup
	cargo build --release --target $(WASM_TARGET) --lib --no-default-features
	rm -rf $(PKG_EXT)
	wasm-bindgen --target web --no-typescript --out-dir $(PKG_EXT) $(WASM_RAW)
	$(WASM_OPT) $(PKG_EXT)/lucs_registrar_bg.wasm -o $(PKG_EXT)/lucs_registrar_bg.wasm
	echo '{ "type": "module" }' > $(PKG_EXT)/package.json

# The extension is copied, not bundled: one tree for Chromium and Firefox, the UI pieces it shares with the planner
# page (ui/) and the Wasm beside it, the version from
# Cargo.toml (the one version source). The tests load these very builds (the release hosts resolved to a local
# sandbox), so there is no separate test build.
extension: pkg-extension
	rm -rf dist/chrome dist/firefox dist/*.zip
	for target in chrome firefox; do \
	  mkdir -p dist/$$target && cp -R extension/. dist/$$target/; \
	  cp -R ui dist/$$target/ui; \
	  python3 tools/manifest.py Cargo.toml dist/$$target/manifest.json $$target; \
	  mkdir -p dist/$$target/pkg && cp $(PKG_EXT)/lucs_registrar.js $(PKG_EXT)/lucs_registrar_bg.wasm dist/$$target/pkg/; \
	done
	cd dist/chrome && python3 -m zipfile -c ../lucs-app-registrar-chrome.zip *
	cd dist/firefox && python3 -m zipfile -c ../lucs-app-registrar-firefox.zip *

site: pkg
	rm -rf $(SITE) && mkdir -p $(SITE)
	cp -R www/. $(SITE)/ && rm -f $(SITE)/screenshot.png
	cp -R ui $(SITE)/ui
	cp -R $(PKG) $(SITE)/pkg

# The planner page and, on the same origin, the local Graph sandbox tenant it can register into.
demo: site
	cargo build --release -p lucs-sandbox
	@echo "Open http://127.0.0.1:$(DEMO_PORT)/ — the planner page with the sandbox tenant (Ctrl-C to stop)"
	target/release/lucs-sandbox --port $(DEMO_PORT) --site $(SITE)

lint: extension
	npx eslint .
	# web-ext is Mozilla's linter: it checks the Firefox build. The Chrome build's manifest is held to its shape by
	# tests/e2e/realportal/build.test.mjs and loaded by Chromium in the real-host suite.
	npx web-ext lint --source-dir dist/firefox --self-hosted
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --lib --no-default-features -- -D warnings

# The fault soak prints its tally (runs, retries, resumes, duplicates).
test-native: setup
	cargo test --workspace -- --skip fault_schedules
	cargo test --test soak -- --nocapture fault_schedules

# Node suites and run_in_browser suites (headless Chromium), against a sandbox tenant on a fixed loopback port.
# Never pass -q here: the runner rejects it.
# The browser suites run on the test runner's own origin (a fixed port here), the one origin besides its own that
# the sandbox's control endpoints then answer.
SANDBOX_TEST_PORT ?= 18181
WASM_TEST_RUNNER_PORT ?= 18183
test-wasm: setup
	cargo build -p lucs-sandbox
	WASM_BINDGEN_TEST_ADDRESS=127.0.0.1:$(WASM_TEST_RUNNER_PORT) LUCS_SANDBOX_URL=http://127.0.0.1:$(SANDBOX_TEST_PORT) \
	  tests/tools/with-sandbox.sh target/sandbox-test.log \
	    target/debug/lucs-sandbox --port $(SANDBOX_TEST_PORT) --allow-origin http://127.0.0.1:$(WASM_TEST_RUNNER_PORT) \
	    -- cargo test --target $(WASM_TARGET) --no-fail-fast

test-ts: pkg extension
	npx tsc -p tests/ts/tsconfig.json
	node tests/js/declarations.mjs
	node --test tests/js/

# Browser test files run two at a time: a browser test mostly waits (on a page, a timer, the sandbox), so two
# files share the 2 cores well — the real-host suite 7 min 24 s → 4 min 39 s, the page tests 70 s → 43 s (three at
# once: 4 min 13 s). Node's default is one file at a time on 2 cores. Each file starts its own browser and servers on
# free ports, so no file depends on another or on the order they run in.
BROWSER_TEST_FILES_AT_ONCE ?= 2

# The planner page's tests in Chromium; LUCS_BROWSERS=chromium,firefox adds Firefox ESR, which more than doubles
# their own time (92 s → 199 s; this target 2 min 22 s → 4 min 9 s on 2 cores), more than make test's budget has.
test-e2e: site extension
	cargo build -p lucs-sandbox
	node --test --test-concurrency=$(BROWSER_TEST_FILES_AT_ONCE) tests/e2e/*.test.mjs

# The release builds (dist/chrome, dist/firefox) in Chromium and Firefox ESR on the portal's real host names over
# TLS (throwaway CA), against the sandbox behind a Graph front door. LUCS_BROWSERS=chromium|firefox for one.
test-realportal: extension
	cargo build -p lucs-sandbox
	node --test --test-concurrency=$(BROWSER_TEST_FILES_AT_ONCE) tests/e2e/realportal/

test: lint test-native test-wasm test-ts test-e2e test-realportal
	@echo "make test: all layers passed"

# Measured budgets, each as a name=value line: a full registration against the sandbox with 100 ms latency per
# Graph request (round trips, wall time; and right after a check), the health check of that set (round trips, wall
# time) and one app's last sign-ins, planning time, the popup's ready time, the
# release zips, and both Wasm files' sizes (the planner page's, the extension's).
SANDBOX_BENCH_PORT ?= 18182
bench: build
	@cargo build -q --release -p lucs-sandbox
	@LUCS_SANDBOX_URL=http://127.0.0.1:$(SANDBOX_BENCH_PORT) tests/tools/with-sandbox.sh target/sandbox-bench.log \
	  target/release/lucs-sandbox --port $(SANDBOX_BENCH_PORT) --latency-ms 100 -- node tests/bench/register.mjs
	@LUCS_SANDBOX_URL=http://127.0.0.1:$(SANDBOX_BENCH_PORT) tests/tools/with-sandbox.sh target/sandbox-bench.log \
	  target/release/lucs-sandbox --port $(SANDBOX_BENCH_PORT) --latency-ms 100 -- node tests/bench/health.mjs
	@node tests/bench/popup.mjs
	@echo "wasm_raw_bytes=$$(wc -c < $(PKG)/lucs_registrar_bg.wasm)"
	@echo "wasm_gzip_bytes=$$(gzip -9 -c $(PKG)/lucs_registrar_bg.wasm | wc -c)"
	@echo "extension_wasm_raw_bytes=$$(wc -c < $(PKG_EXT)/lucs_registrar_bg.wasm)"
	@echo "extension_wasm_gzip_bytes=$$(gzip -9 -c $(PKG_EXT)/lucs_registrar_bg.wasm | wc -c)"
	@echo "js_glue_raw_bytes=$$(wc -c < $(PKG)/lucs_registrar.js)"

# The release Wasm at each opt-level, sizes after wasm-opt: how the profile's opt-level was chosen.
size-matrix: setup
	@for level in s z 3; do \
	   CARGO_PROFILE_RELEASE_OPT_LEVEL=$$level cargo build -q --release --target $(WASM_TARGET) --lib; \
	   wasm-bindgen --target web --out-dir target/size-$$level $(WASM_RAW); \
	   $(WASM_OPT) target/size-$$level/lucs_registrar_bg.wasm -o target/size-$$level/opt.wasm; \
	   echo "opt-level=$$level raw=$$(wc -c < target/size-$$level/opt.wasm) gzip=$$(gzip -9 -c target/size-$$level/opt.wasm | wc -c)"; \
	 done

# Bytes per crate after wasm-opt (names kept for counting only). Needs `cargo install twiggy`.
wasm-breakdown: pkg
	wasm-bindgen --target web --keep-debug --out-dir target/named $(WASM_RAW)
	$(WASM_OPT) -g target/named/lucs_registrar_bg.wasm -o target/named/opt.wasm
	twiggy top -n 100000 -f csv target/named/opt.wasm | python3 tests/tools/wasm_breakdown.py

# The same for the extension's Wasm (no exports), the one with the 100 KB gzip budget.
wasm-breakdown-extension: pkg-extension
	wasm-bindgen --target web --keep-debug --no-typescript --out-dir target/named-extension $(WASM_RAW)
	$(WASM_OPT) -g target/named-extension/lucs_registrar_bg.wasm -o target/named-extension/opt.wasm
	twiggy top -n 100000 -f csv target/named-extension/opt.wasm | python3 tests/tools/wasm_breakdown.py

clean:
	cargo clean
	rm -rf $(PKG) dist node_modules test-results
