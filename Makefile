# LUCS App Registrar. `make demo` runs the planner page; `make test` sets up everything it needs and tests.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

WASM_TARGET := wasm32-unknown-unknown
WASM_RAW    := target/$(WASM_TARGET)/release/lucs_registrar.wasm
PKG         := pkg
SITE        := dist/www
DEMO_PORT   ?= 8080
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner

.PHONY: help setup build site demo test lint test-native test-wasm test-ts test-e2e bench size-matrix clean

help:
	@echo "make demo   - build and serve the planner page on http://127.0.0.1:$(DEMO_PORT)"
	@echo "make test   - install what is missing, then lint and run every test layer"
	@echo "make build  - release Wasm + JS glue into $(PKG)/ (used by www/ and extension/)"
	@echo "make bench  - print the measured budgets (wasm size)"

# Idempotent: each step checks before it installs.
setup:
	@scripts/setup.sh

build: setup
	@scripts/build-wasm.sh

site: build
	rm -rf $(SITE) && mkdir -p $(SITE)
	cp -R www/. $(SITE)/
	cp -R $(PKG) $(SITE)/pkg

demo: site
	@echo "Serving the planner page on http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C to stop)"
	python3 -m http.server $(DEMO_PORT) --bind 127.0.0.1 --directory $(SITE)

lint: setup
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --all-targets -- -D warnings

test-native: setup
	cargo test

# Node suites and run_in_browser suites (headless Chromium). Never pass -q here: the runner rejects it.
test-wasm: setup
	cargo test --target $(WASM_TARGET) --no-fail-fast

test-ts: build
	npx tsc -p tests/ts/tsconfig.json
	node tests/js/declarations.mjs

test-e2e: site
	node --test tests/e2e/

test: lint test-native test-wasm test-ts test-e2e
	@echo "make test: all layers passed"

bench: build
	@scripts/bench.sh

# Builds the release Wasm at each opt-level and prints sizes after wasm-opt, to choose the profile's opt-level.
size-matrix: setup
	@for level in s z 3; do CARGO_PROFILE_RELEASE_OPT_LEVEL=$$level scripts/build-wasm.sh > /dev/null; \
	  echo "opt-level=$$level $$(scripts/bench.sh | tr '\n' ' ')"; done
	@scripts/build-wasm.sh > /dev/null

clean:
	cargo clean
	rm -rf $(PKG) dist node_modules
