# basis-trees: the two commands a newcomer runs are `make demo` and `make test`.
# Every target installs what it needs and can be run again at no cost.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
WASM_BINDGEN_VERSION := 0.2.130
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM ?= /usr/bin/chromium
FUZZ_TARGETS := binary_log ndjson_log snapshot verify_proof register tracker_box avl_engine basis_note
FUZZ_SECONDS ?= 30

.PHONY: demo test bench setup-rust setup-wasm-bindgen setup-node setup-chromium lint lint-bench \
	test-native test-mutations test-proofs check-fuzz build-wasm setup-fuzz fuzz fuzz-smoke \
	fuzz-proofs fuzz-proofs-libfuzzer fuzz-engine fuzz-engine-libfuzzer pkg size test-wasm-node \
	test-wasm-browser test-wasm-worker test-js serve www test-page bench-scale docs

# The differential proof test runs in `test-proofs`, with its tally shown.
DIFFERENTIAL := agrees_with_ergo_avltree_rust
PROOF_CASES ?= 1000000

## Everything: formatting, lints, native tests, the mutation tests, proofs, the fuzz crate's build,
## the wasm build, the wasm tests in Node and Chromium (page and worker), the packed npm package
## in Node, Vite and Chromium, and the log-verifier page in Chromium.
test: setup-rust lint lint-bench test-native test-mutations test-proofs check-fuzz build-wasm \
	test-wasm-node test-wasm-browser test-wasm-worker pkg test-js test-page

## Builds, simulates a Basis tracker, writes its log (binary and NDJSON) and a checkpoint
## snapshot to target/demo/, and verifies them end to end in Rust; then builds the npm package
## and verifies the binary log (over 100,000 records) with its CLI in Node.
DEMO_OPERATIONS ?= 120000
demo: setup-rust pkg
	$(CARGO) run --release --example tracker_demo -- $(DEMO_OPERATIONS) | tee target/demo.txt
	@echo
	@echo "The light client in Node: npx basis-trees verify target/demo/tracker.log --expect-root ROOT"
	@echo "(ROOT: the digest the tracker committed on chain; here its final root)"
	node pkg/cli.cjs verify target/demo/tracker.log --progress \
		--expect-root "$$(awk '/tracker root/ { print $$3 }' target/demo.txt)"

setup-rust:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

setup-wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -q $(WASM_BINDGEN_VERSION) || \
		$(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

## npm ci only when package-lock.json changed since the last install.
setup-node: node_modules/.package-lock.json
node_modules/.package-lock.json: package-lock.json
	@command -v node >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm)
	npm ci --no-audit --no-fund
	@touch $@

setup-chromium:
	@(command -v chromium && command -v chromedriver) >/dev/null || \
		(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver)

lint: setup-rust
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --lib --target $(WASM_TARGET) -- -D warnings
	$(CARGO) clippy -p basis-trees-wasm --lib -p basis-trees-wasm --target $(WASM_TARGET) --test wasm_node \
		--test wasm_browser --test wasm_worker --test wasm_wallet -- -D warnings

## The benchmark programs compile and are clean (`make bench` runs them; bench/native/ is
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

## 100,000 mutated inputs for each log decoder, the snapshot reader, the register readers and the
## reader of boxes as JSON (release: about a second).
test-mutations:
	$(CARGO) test --release --test mutations --test wallet_mutations

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

## Long differential run of the AVL+ engine (src/avl/) against ergo_avltree_rust on stable Rust:
## ENGINE_OPERATIONS random operations (default 10,000,000) from ENGINE_SEED. (`make test`
## runs 100,000 of them in test-native.)
ENGINE_OPERATIONS ?= 10000000
fuzz-engine:
	ENGINE_OPERATIONS=$(ENGINE_OPERATIONS) $(CARGO) test --release --test engine_differential \
		-- --ignored --nocapture engine_matches_ergo_avltree_rust_long_run

## libFuzzer run of fuzz/fuzz_targets/avl_engine.rs (the engine and the crate driven with the
## same operations) for FUZZ_SECONDS seconds.
fuzz-engine-libfuzzer: setup-fuzz
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run avl_engine -- -max_total_time=$(FUZZ_SECONDS)

build-wasm: setup-rust
	$(CARGO) build --workspace --lib --target $(WASM_TARGET) --release

## The bindings' own tests (bindings/tests/), in Node, in a Chromium page and in a Chromium dedicated worker. The
## runner's summary must report at least one passed test: a browser suite that was skipped fails.
test-wasm-node: setup-rust setup-wasm-bindgen
	$(WASM_RUNNER) scripts/count-tests.sh $(CARGO) test -p basis-trees-wasm --target $(WASM_TARGET) --test wasm_node
	$(WASM_RUNNER) scripts/count-tests.sh $(CARGO) test -p basis-trees-wasm --target $(WASM_TARGET) --test wasm_wallet

test-wasm-browser: setup-rust setup-wasm-bindgen setup-chromium
	$(WASM_RUNNER) scripts/count-tests.sh $(CARGO) test -p basis-trees-wasm --target $(WASM_TARGET) --test wasm_browser

test-wasm-worker: setup-rust setup-wasm-bindgen setup-chromium
	$(WASM_RUNNER) scripts/count-tests.sh $(CARGO) test -p basis-trees-wasm --target $(WASM_TARGET) --test wasm_worker

## The npm package in pkg/: release build, wasm-bindgen (nodejs + web), wasm-opt -Oz, the API
## compiled from pkg-template/src/ (tsc: ES modules, CommonJS and index.d.ts), templates.
## The module is the bindings' package (bindings/), named basis_trees, built as a cdylib alone
## (its rlib, for its tests, would make it 12 KB larger gzipped). Cargo profile wasm-release: the
## release profile, the core at opt-level 3, the bindings and secp256k1 at "z".
PKG_WASM := target/$(WASM_TARGET)/wasm-release/basis_trees_wasm.wasm
pkg: setup-rust setup-wasm-bindgen setup-node
	$(CARGO) rustc -p basis-trees-wasm --lib --crate-type cdylib --target $(WASM_TARGET) \
		--profile wasm-release
	rm -rf target/bindgen
	wasm-bindgen $(PKG_WASM) --out-name basis_trees --target nodejs --no-typescript \
		--out-dir target/bindgen/node
	wasm-bindgen $(PKG_WASM) --out-name basis_trees --target web --no-typescript \
		--out-dir target/bindgen/web
	node scripts/build-pkg.mjs

## The package's API reference, generated by typedoc from its TypeScript (pkg-template/src/):
## target/docs/api/index.html.
docs: setup-node
	node node_modules/typedoc/bin/typedoc --tsconfig pkg-template/tsconfig.types.json \
		--entryPoints pkg-template/src/index.ts --out target/docs/api --name basis-trees --readme none

## Where the bytes of the package's .wasm are: the shipped module's code per Rust module
## (bench/wasm-size.mjs; docs/PERFORMANCE.md, "Size").
size: pkg
	node bench/wasm-size.mjs

## The packed tarball installed into fresh projects: CommonJS, ESM, types, CLI, Vite and webpack
## builds in Chromium.
test-js: pkg setup-chromium
	scripts/test-js.sh

## cargo-fuzz runs on stable through RUSTC_BOOTSTRAP (libFuzzer needs a C++ compiler).
setup-fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz

## Runs every fuzz target for FUZZ_SECONDS each (the log decoders, the snapshot reader,
## verify_proof and the AVL+ engine), seeded from the test vectors, the honest proof cases and
## trees built up and cut down in each shape.
fuzz: setup-fuzz
	fuzz/seed.sh
	for target in $(FUZZ_TARGETS); do \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS); \
	done

## The bounded fuzz run of CI.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

## The log-verifier page (www/) on http://127.0.0.1:8080/ (PORT, HOST override), with the package
## from pkg/ and a demo tracker log made with it.
serve: pkg
	node scripts/serve.mjs

## The page as static files in target/www/ (www/ and the package in pkg/), for any web server.
www: pkg
	rm -rf target/www
	mkdir -p target/www
	cp www/*.html www/*.css www/*.js target/www/
	cp -r pkg target/www/pkg
	mkdir -p target/www/demo
	echo '{ "logs": [] }' >target/www/demo/index.json

## The page in headless Chromium: good, tampered and large logs, cancel, a responsive main thread,
## lookups, proofs, snapshots. Screenshots of every state in test-artifacts/page/.
test-page: pkg setup-chromium
	node --test --test-concurrency=1 tests/page/

## Figures, not tests (docs/PERFORMANCE.md): basis-trees native against the plain
## ergo_avltree_rust prover, the npm package in Node and in headless Chromium, the core alone in
## wasm, the hashing limit, memory and size. Prints the tables, writes target/bench/latest.json
## and the figures section of docs/PERFORMANCE.md. About 8 minutes on 2 cores.
BENCH_DIR := target/bench
BENCH_CORE_WASM := target/bench-wasm/$(WASM_TARGET)/release/basis_trees_bench_wasm.wasm
bench: setup-rust setup-wasm-bindgen setup-node setup-chromium pkg
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

## A tracker's year at scale (docs/PERFORMANCE.md, "A 10-million-record log"): SCALE_RECORDS
## records over SCALE_NOTES notes, written once to target/scale/ by examples/scale_log.rs (about
## 11 GB with the copy whose records carry proofs; kept for the next run), then verified through
## the package in Node from a file stream and in headless Chromium by the page's worker fetching
## it, stateful and stateless. Figures, not a test: target/scale/bench-scale.json. About 15
## minutes on 2 cores, beside the log's writing (2 minutes).
SCALE_RECORDS ?= 10000000
SCALE_NOTES ?= 1000000
bench-scale: setup-rust setup-node setup-chromium pkg
	@test -f target/scale/scale-$(SCALE_RECORDS)-proofs.log || \
		$(CARGO) run --release --example scale_log -- $(SCALE_RECORDS) $(SCALE_NOTES)
	node scripts/bench-scale.mjs --records $(SCALE_RECORDS)
