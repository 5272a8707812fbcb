# The two commands that matter: `make test` and `make demo`. Both install
# what is missing first (scripts/setup.sh is idempotent).
SHELL := /bin/bash
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CURDIR)/tests/node_modules/.bin:$(CARGO_BIN):$(PATH)
WASM_TESTS := --test wasm_api --test wasm_client

.PHONY: setup build test demo size bench fuzz lint fmt-check clippy test-native test-wasm-node test-wasm-browser test-js test-e2e clean

setup:
	@scripts/setup.sh

build: setup
	scripts/build-pkg.sh

# Every test level; each prints how many tests it ran.
test: setup lint test-native test-wasm-node test-wasm-browser build test-js test-e2e
	@echo "make test: all levels passed"

lint: fmt-check clippy

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib $(WASM_TESTS) -- -D warnings

test-native:
	cargo test

test-wasm-node:
	scripts/with-mock.sh wasm-pack test --node -- $(WASM_TESTS)

# WASM_BINDGEN_USE_BROWSER makes the same suites run in Chromium: without it
# `--chrome` skips a suite not configured for the browser and still exits 0.
test-wasm-browser:
	WASM_BINDGEN_USE_BROWSER=1 scripts/with-mock.sh wasm-pack test --headless --chrome -- $(WASM_TESTS)

test-js:
	node --test tests/js/

test-e2e: www/pkg
	node --test tests/e2e/

www/pkg: build
	rm -rf www/pkg && cp -r pkg www/pkg

demo: build
	rm -rf www/pkg && cp -r pkg www/pkg
	node scripts/demo.mjs

size: build
	@node scripts/size.mjs

# Not part of `make test`: benchmarks want a quiet machine (see BENCHMARKS.md).
bench: build
	benches/run.sh

# Runs every cargo-fuzz target (nightly); FUZZ_SECONDS per target, default 600.
fuzz: setup
	fuzz/run.sh

clean:
	rm -rf pkg www/pkg target/wasm-pack
