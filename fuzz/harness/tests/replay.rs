//! Replays every committed fuzz input (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`)
//! through the target functions, so that `cargo test` checks them on every run.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use scim_fuzz_harness::{Target, TARGETS};

/// The `fuzz/` directory.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every file of `dir` through `run`; returns the files that made it panic.
fn replay(dir: &Path, run: Target) -> Vec<String> {
    files(dir)
        .into_iter()
        .filter(|file| {
            let data = fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            catch_unwind(AssertUnwindSafe(|| run(&data))).is_err()
        })
        .map(|file| file.display().to_string())
        .collect()
}

#[test]
fn every_seed_corpus_file_passes_its_target() {
    for (name, run) in TARGETS {
        let dir = fuzz_dir().join("corpus").join(name);
        assert!(!files(&dir).is_empty(), "no seed corpus for target {name}");
        let failures = replay(&dir, run);
        assert!(failures.is_empty(), "failing corpus inputs: {failures:#?}");
    }
}

#[test]
fn every_fixed_regression_passes_its_target() {
    for (name, run) in TARGETS {
        let failures = replay(&fuzz_dir().join("regressions").join(name), run);
        assert!(
            failures.is_empty(),
            "failing regression inputs: {failures:#?}"
        );
    }
}

#[test]
fn replay_reports_each_input_that_panics() {
    let dir = fuzz_dir().join("corpus").join("filter");
    let all = replay(&dir, |_| panic!("every input fails"));
    assert_eq!(all.len(), files(&dir).len());
    assert!(replay(&dir, |_| ()).is_empty());
}
