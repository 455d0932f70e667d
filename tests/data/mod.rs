//! The vendored corpora (`tests/data/README.md`): Thunderbird's ISPDB and Delta Chat's
//! provider-db, both MPL-2.0. Test crates include this module with `mod data;`.
//!
//! The loaders read the files each manifest lists and panic when one is missing or unreadable: a
//! corpus test never skips. `tests/corpora.rs` checks that the directories hold exactly the
//! listed files with the listed content.

// Each test crate uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One file of a corpus: its path inside the corpus directory and its text.
pub struct CorpusFile {
    pub path: String,
    pub text: String,
}

/// The directory of one vendored corpus (`ispdb` or `provider-db`).
pub fn dir(corpus: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(corpus)
}

/// The manifest of one corpus: `(git blob id, path inside the corpus directory)`, in the
/// manifest's order (upstream's tree order).
pub fn manifest(corpus: &str) -> Vec<(String, String)> {
    let path = dir(corpus).with_extension("manifest");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (see tests/data/README.md)", path.display()));
    text.lines()
        .map(|line| {
            let (blob, file) = line
                .split_once("  ")
                .unwrap_or_else(|| panic!("{}: bad line {line:?}", path.display()));
            (blob.to_owned(), file.to_owned())
        })
        .collect()
}

/// Reads the manifest's files whose path satisfies `keep`, sorted by path.
fn load(corpus: &str, keep: impl Fn(&str) -> bool) -> Vec<CorpusFile> {
    let root = dir(corpus);
    let mut files: Vec<CorpusFile> = manifest(corpus)
        .into_iter()
        .filter(|(_, path)| keep(path))
        .map(|(_, path)| {
            let text = std::fs::read_to_string(root.join(&path)).unwrap_or_else(|e| {
                panic!(
                    "tests/data/{corpus}/{path}: {e}: the vendored corpus is incomplete \
                     (tests/data/README.md says where it comes from)"
                )
            });
            CorpusFile { path, text }
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(!files.is_empty(), "tests/data/{corpus}: no files");
    files
}

/// Thunderbird's ISPDB: every autoconfig document (`<domain>.xml`), by file name.
pub fn ispdb() -> Vec<CorpusFile> {
    load("ispdb", |p| p.ends_with(".xml"))
}

/// Delta Chat's provider-db: every provider file (`_providers/<name>.md`: YAML front matter
/// between `---` lines, then Markdown), by path.
pub fn provider_db() -> Vec<CorpusFile> {
    load("provider-db", |p| {
        p.starts_with("_providers/") && p.ends_with(".md")
    })
}
