//! The vendored corpora are the upstream snapshots `tests/data/README.md` names: each directory
//! holds exactly the files of its manifest, each with the Git blob id upstream has for it. A
//! missing, edited or added file fails here, and the corpus tests' loaders fail on a missing one.

mod data;

use std::collections::BTreeSet;
use std::path::Path;

/// Git's blob id of `bytes` (SHA-1 of `blob <len>\0` and the bytes), as `git hash-object` prints.
fn git_blob_id(bytes: &[u8]) -> String {
    let mut h = sha1_smol::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    h.digest().to_string()
}

/// Every file under `dir`, as paths relative to it with `/` separators.
fn files_under(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        if entry.file_type().unwrap().is_dir() {
            files_under(&entry.path(), &format!("{rel}/"), out);
        } else {
            out.insert(rel);
        }
    }
}

/// Checks one corpus against its manifest; returns the listed paths.
fn check(corpus: &str) -> BTreeSet<String> {
    let root = data::dir(corpus);
    let manifest = data::manifest(corpus);
    let listed: BTreeSet<String> = manifest.iter().map(|(_, p)| p.clone()).collect();
    assert_eq!(
        listed.len(),
        manifest.len(),
        "{corpus}: a path is listed twice"
    );
    let mut present = BTreeSet::new();
    files_under(&root, "", &mut present);
    let missing: Vec<_> = listed.difference(&present).collect();
    let added: Vec<_> = present.difference(&listed).collect();
    assert!(
        missing.is_empty() && added.is_empty(),
        "tests/data/{corpus} differs from its manifest: missing {missing:?}, not in the upstream \
         snapshot {added:?} (tests/data/README.md)"
    );
    let edited: Vec<&str> = manifest
        .iter()
        .filter(|(blob, path)| {
            let bytes = std::fs::read(root.join(path)).unwrap();
            git_blob_id(&bytes) != *blob
        })
        .map(|(_, path)| path.as_str())
        .collect();
    assert!(
        edited.is_empty(),
        "tests/data/{corpus}: these files differ from the upstream snapshot: {edited:?}"
    );
    listed
}

#[test]
fn git_blob_ids_are_computed_as_git_does() {
    // `printf 'hello\n' | git hash-object --stdin`
    assert_eq!(
        git_blob_id(b"hello\n"),
        "ce013625030ba8dba906f756967f9e9ca394464a"
    );
}

#[test]
fn ispdb_is_the_upstream_snapshot() {
    let listed = check("ispdb");
    assert!(listed.contains("LICENSE"));
    let license = std::fs::read_to_string(data::dir("ispdb").join("LICENSE")).unwrap();
    assert!(license.starts_with("Mozilla Public License Version 2.0"));
    // The count tests/data/README.md states.
    assert_eq!(data::ispdb().len(), 163);
}

#[test]
fn provider_db_is_the_upstream_snapshot() {
    let listed = check("provider-db");
    assert!(listed.contains("LICENSE") && listed.contains("README.md"));
    let license = std::fs::read_to_string(data::dir("provider-db").join("LICENSE")).unwrap();
    assert!(license.starts_with("Mozilla Public License Version 2.0"));
    let providers = data::provider_db();
    // The count tests/data/README.md states.
    assert_eq!(providers.len(), 68);
    for p in &providers {
        assert!(
            p.text.starts_with("---\n")
                && p.text.lines().any(
                    |l| l.trim_start() == "domains:" || l.trim_start().starts_with("domains: ")
                ),
            "{}: not a provider file (front matter with domains)",
            p.path
        );
    }
}
