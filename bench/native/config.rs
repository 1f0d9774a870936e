//! The options of the program: the full run of `make bench` (`cargo bench` passes `--bench`), or,
//! under `cargo test`, one tiny run as a smoke test.

use std::path::PathBuf;

pub struct Config {
    pub sizes: Vec<usize>,
    /// Sizes whose W2 (three builds per implementation) is measured; W1 needs only one build.
    pub build_sizes: Vec<usize>,
    pub memory_sizes: Vec<usize>,
    pub runs: usize,
    pub ops_per_run: usize,
    pub hashes_per_run: usize,
    /// Lookup proofs made and verified per W3 run.
    pub lookups: usize,
    pub out: Option<PathBuf>,
    /// `--only basis_trees` or `--only ergo_avltree_rust`: W1 of one side only (for profiling).
    pub only: Option<String>,
}

impl Config {
    pub fn from_args() -> Config {
        let args: Vec<String> = std::env::args().collect();
        // `cargo bench` passes `--bench`; `cargo test` runs the program without it.
        if !args.iter().any(|a| a == "--bench") {
            return Config {
                sizes: vec![300],
                build_sizes: vec![300],
                memory_sizes: vec![],
                runs: 2,
                ops_per_run: 50,
                hashes_per_run: 1000,
                lookups: 50,
                out: None,
                only: None,
            };
        }
        let value = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let list = |name: &str, default: &str| -> Vec<usize> {
            value(name)
                .unwrap_or_else(|| default.to_string())
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().expect("a list of sizes"))
                .collect()
        };
        let number = |name: &str, default: usize| {
            value(name).map_or(default, |s| s.parse().expect("a number"))
        };
        Config {
            sizes: list("--sizes", "10000,100000,1000000"),
            build_sizes: list("--build-sizes", "10000,100000,1000000"),
            memory_sizes: list("--memory-sizes", "100000,1000000"),
            runs: number("--runs", 5),
            ops_per_run: number("--ops", 20_000),
            hashes_per_run: number("--hashes", 400_000),
            lookups: number("--lookups", 5_000),
            out: value("--out").map(PathBuf::from),
            only: value("--only"),
        }
    }
}
