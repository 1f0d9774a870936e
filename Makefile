# basis-trees: the two commands a newcomer runs are `make demo` and `make test`.
# Every target installs what it needs and can be run again at no cost.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown

.PHONY: demo test setup-rust lint test-native build-wasm

## Everything: formatting, lints, native tests, the wasm build.
test: setup-rust lint test-native build-wasm

## Builds, simulates a Basis tracker, writes its log and verifies it end to end.
demo: setup-rust
	$(CARGO) run --release --example tracker_demo

setup-rust:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

lint: setup-rust
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

test-native:
	$(CARGO) test --all-targets
	$(CARGO) test --doc

build-wasm: setup-rust
	$(CARGO) build --lib --target $(WASM_TARGET) --release
