//! Golden-file helper for the intent tests. Golden files live in
//! `src/intent/golden/` and are committed. `check` compares a rendered value
//! with its file and fails on drift; with `UPDATE_GOLDEN=1` in the environment
//! it rewrites the file instead (review the diff, then commit it).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The directory that holds the golden files.
pub(crate) fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/intent/golden")
}

fn updating() -> bool {
    std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1")
}

/// Compares `actual` with the golden file at `relative` (or rewrites it).
pub(crate) fn check(relative: &str, actual: &str) {
    let path = golden_dir().join(relative);
    if updating() {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).unwrap();
        }
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read golden file {}: {e}; run `UPDATE_GOLDEN=1 cargo test --lib intent` to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "golden file {} drifted; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff.\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// Fails if `dir` (relative to the golden directory) holds files other than
/// `expected` (or deletes them when updating), so renamed cases leave no stale files.
pub(crate) fn check_no_stale(dir: &str, expected: &BTreeSet<String>) {
    let path = golden_dir().join(dir);
    let Ok(entries) = fs::read_dir(&path) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if expected.contains(&name) {
            continue;
        }
        if updating() {
            fs::remove_file(entry.path()).unwrap();
        } else {
            panic!(
                "stale golden file {}: no test case produces it; rerun with UPDATE_GOLDEN=1 to remove it",
                entry.path().display()
            );
        }
    }
}
