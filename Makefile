# basis-trees: the two commands a newcomer runs are `make demo` and `make test`.
# Every target installs what it needs and can be run again at no cost.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
FUZZ_TARGETS := binary_log ndjson_log snapshot
FUZZ_SECONDS ?= 30

.PHONY: demo test bench setup-rust lint lint-bench test-native test-mutations test-proofs check-fuzz \
	build-wasm setup-fuzz fuzz fuzz-smoke fuzz-proofs fuzz-proofs-libfuzzer

# The differential proof test runs in `test-proofs`, with its tally shown.
DIFFERENTIAL := agrees_with_ergo_avltree_rust
PROOF_CASES ?= 1000000

## Everything: formatting, lints, native tests, the mutation tests, proofs, the fuzz crate's build,
## the wasm build.
test: setup-rust lint lint-bench test-native test-mutations test-proofs check-fuzz build-wasm

## Builds, simulates a Basis tracker, writes its log (binary and NDJSON) and a checkpoint
## snapshot to target/demo/, and verifies them end to end.
demo: setup-rust
	$(CARGO) run --release --example tracker_demo

setup-rust:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

lint: setup-rust
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

## The benchmark programs compile and are clean (`make bench` runs them; benches/native.rs is
## covered by `lint` and runs as a smoke test in `test-native`).
lint-bench: setup-rust
	$(CARGO) fmt --manifest-path bench/core-wasm/Cargo.toml -- --check
	$(CARGO) clippy --manifest-path bench/core-wasm/Cargo.toml --target $(WASM_TARGET) \
		--target-dir target/bench-wasm -- -D warnings
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	for script in bench/*.mjs; do node --check $$script; done

test-native:
	$(CARGO) test --all-targets -- --skip $(DIFFERENTIAL)
	$(CARGO) test --doc

## 100,000 mutated inputs for each log decoder and the snapshot reader (release: about a second).
test-mutations:
	$(CARGO) test --release --test mutations

## verify_proof against ergo_avltree_rust's verifier on 100,000 honest, mutated and random proofs,
## with the tally of outcomes. (The other proof tests, tests/proofs.rs, run in test-native.)
test-proofs:
	$(CARGO) test --profile differential --test proof_differential -- --nocapture

## The fuzz target compiles and is formatted (it is a crate of its own, outside the main build).
check-fuzz:
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) check --manifest-path fuzz/Cargo.toml --bins

## Long differential run on stable Rust: PROOF_CASES cases (default 1,000,000), PROOF_SEED seed.
fuzz-proofs:
	PROOF_CASES=$(PROOF_CASES) $(CARGO) test --profile differential --test proof_differential \
		-- --ignored --nocapture $(DIFFERENTIAL)_long_run

## libFuzzer run of fuzz/fuzz_targets/verify_proof.rs for FUZZ_SECONDS seconds (cargo-fuzz needs
## nightly features; RUSTC_BOOTSTRAP=1 lets the stable toolchain provide them).
fuzz-proofs-libfuzzer:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run verify_proof -- -max_total_time=$(FUZZ_SECONDS)

build-wasm: setup-rust
	$(CARGO) build --lib --target $(WASM_TARGET) --release

## cargo-fuzz runs on stable through RUSTC_BOOTSTRAP (libFuzzer needs a C++ compiler).
setup-fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz

## Runs every fuzz target for FUZZ_SECONDS each, from the test vectors as seeds.
fuzz: setup-fuzz
	fuzz/seed.sh
	for target in $(FUZZ_TARGETS); do \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS); \
	done

## The bounded fuzz run of CI.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

## Figures, not tests (docs/PERFORMANCE.md): basis-trees native against the plain
## ergo_avltree_rust prover, the npm package in Node and in headless Chromium, the core alone in
## wasm, the hashing limit, memory and size. Prints the tables, writes target/bench/latest.json
## and the figures section of docs/PERFORMANCE.md. About 8 minutes on 2 cores.
BENCH_DIR := target/bench
BENCH_CORE_WASM := target/bench-wasm/$(WASM_TARGET)/release/basis_trees_bench_wasm.wasm
bench: setup-rust
	@wasm-bindgen --version 2>/dev/null | grep -q 0.2.130 || \
		$(CARGO) install wasm-bindgen-cli --version 0.2.130
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	@if $(MAKE) -n pkg >/dev/null 2>&1; then $(MAKE) pkg; \
		else echo "bench: no npm package to build here: wasm figures of the core only"; fi
	rm -f $(BENCH_DIR)/*.json
	$(CARGO) bench --bench native -- --out $(BENCH_DIR)
	$(CARGO) build --manifest-path bench/core-wasm/Cargo.toml --release --target $(WASM_TARGET) \
		--target-dir target/bench-wasm
	wasm-bindgen $(BENCH_CORE_WASM) --target web --no-typescript --out-dir $(BENCH_DIR)/core-wasm
	echo '{ "type": "module" }' > $(BENCH_DIR)/core-wasm/package.json
	node bench/wasm-size.mjs
	node bench/wasm-node.mjs
	node bench/wasm-chromium.mjs
	node bench/report.mjs --update-docs
