//! The modules of `src/` form layers that run one way: a module uses modules of lower layers
//! only, never a higher layer nor a sibling of its own layer, so the dependency graph has no
//! cycle and each layer can be read (and tested) without the ones above it.
//!
//! Every path that names another module is checked: `crate::x…`, `use crate::{x, y::z}`,
//! `super::…` chains that climb out of a module, and names `lib.rs` re-exports (`crate::validate`
//! is `rules`). Comments and string literals are skipped. `src/bin/` is a separate crate on top
//! of everything and is not checked.
//!
//! `cargo test --test layers` proves the graph acyclic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use the modules of every earlier row.
const LAYERS: &[&[&str]] = &[
    &["text"],
    &["error"],
    &["model"],
    &["providers"],
    // Finding, Report, Rule identity and docs, ProviderRef.
    &["diagnostic"],
    // The settings engine and the H/P/T/A/V/O families (and the N rules' docs).
    &["rules"],
    // Siblings: none uses another.
    &["documents", "advisor", "probe"],
    // Discovery: finds and reads a domain's documents and DNS (uses rules, documents, probe).
    &["discovery"],
    // Later: audit (discovery + probe).
    &["audit"],
    // Every rule of every family, for listings and lookup.
    &["catalog"],
    &["wasm"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|row| row.contains(&module))
}

/// Source text with comments, string literals and character literals blanked out (newlines
/// kept, so line numbers stay right).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, s: &[u8]| {
        out.extend(s.iter().map(|&c| if c == b'\n' { b'\n' } else { b' ' }))
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(b"/*") {
            // Block comments nest in Rust.
            let (mut depth, mut j) = (0usize, 0);
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &rest[..j]);
            i += j;
        } else if let Some(len) = raw_string_len(rest) {
            blank(&mut out, &rest[..len]);
            i += len;
        } else if rest[0] == b'"' || (rest[0] == b'b' && rest.get(1) == Some(&b'"')) {
            let start = usize::from(rest[0] == b'b');
            let mut j = start + 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest[0] == b'\'' {
            // A character literal ('{', '\n', '\u{7f}'); a lifetime ('a) has no closing quote.
            let len = char_literal_len(rest);
            blank(&mut out, &rest[..len]);
            i += len.max(1);
            if len == 0 {
                out.push(b'\'');
            }
        } else {
            // Identifiers that end in r or b (`for"`) never precede a quote in Rust.
            out.push(rest[0]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("blanking keeps UTF-8: only whole literals are replaced")
}

fn raw_string_len(s: &[u8]) -> Option<usize> {
    let start = match s {
        [b'r', ..] => 1,
        [b'b', b'r', ..] => 2,
        _ => return None,
    };
    let hashes = s[start..].iter().take_while(|&&c| c == b'#').count();
    if s.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let body = start + hashes + 1;
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let end = s[body..]
        .windows(close.len())
        .position(|w| w == close.as_slice())?;
    Some(body + end + close.len())
}

fn char_literal_len(s: &[u8]) -> usize {
    // s[0] == '\''
    let text = std::str::from_utf8(&s[..s.len().min(16)])
        .unwrap_or_else(|e| std::str::from_utf8(&s[..e.valid_up_to()]).unwrap_or_default());
    let mut chars = text.char_indices().skip(1);
    match chars.next() {
        // After the backslash, the escaped character, then anything up to the closing quote.
        Some((_, '\\')) => text
            .get(3..)
            .and_then(|t| t.find('\''))
            .map_or(0, |p| p + 4),
        Some((_, c)) => match chars.next() {
            Some((p, '\'')) if c != '\'' => p + 1,
            _ => 0,
        },
        None => 0,
    }
}

/// `(line, module)` for every module a file's code names.
fn references(
    code: &str,
    file_module: &[String],
    reexports: &BTreeMap<String, String>,
) -> Vec<(usize, String)> {
    let b = code.as_bytes();
    let mut refs = Vec::new();
    // Inline modules (`mod tests {`) and the brace depth at which each opened.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut line = 1;
    let mut i = 0;
    let ident_at = |i: usize| -> &str {
        let end = b[i..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .map_or(b.len(), |p| i + p);
        &code[i..end]
    };
    let boundary = |i: usize| {
        i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'$')
    };
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        if boundary(i) && b[i..].starts_with(b"mod ") {
            let name_at = i
                + 4
                + b[i + 4..]
                    .iter()
                    .take_while(|c| c.is_ascii_whitespace())
                    .count();
            let name = ident_at(name_at).to_owned();
            let after = b[name_at + name.len()..]
                .iter()
                .find(|c| !c.is_ascii_whitespace());
            if after == Some(&b'{') {
                inline.push((name, depth));
            }
        }
        if boundary(i) && b[i..].starts_with(b"crate::") {
            for m in first_segments(&code[i + 7..]) {
                let m = reexports.get(&m).cloned().unwrap_or(m);
                refs.push((line, m));
            }
        } else if boundary(i) && b[i..].starts_with(b"super::") {
            // The module this code is in, then one step up per `super`.
            let mut path: Vec<String> = file_module.to_vec();
            path.extend(inline.iter().map(|(n, _)| n.clone()));
            let mut j = i;
            while b[j..].starts_with(b"super::") {
                path.pop();
                j += 7;
            }
            if path.is_empty() {
                // Climbed to the crate root: the next segments name crate modules.
                for m in first_segments(&code[j..]) {
                    let m = reexports.get(&m).cloned().unwrap_or(m);
                    refs.push((line, m));
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    refs
}

/// The first path segment after `crate::`: one name, or every name of a `{…}` group.
fn first_segments(s: &str) -> Vec<String> {
    let s = s.trim_start();
    if let Some(group) = s.strip_prefix('{') {
        let mut names = Vec::new();
        let mut depth = 0;
        let mut at_item_start = true;
        for (k, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => at_item_start = true,
                c if c.is_whitespace() => {}
                _ if at_item_start && depth == 0 => {
                    let name: String = group[k..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != "self" {
                        names.push(name);
                    }
                    at_item_start = false;
                }
                _ => {}
            }
        }
        names
    } else {
        let name: String = s
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        vec![name]
    }
}

/// Names `lib.rs` re-exports, with the module each comes from (`validate` → `rules`).
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let code = code_only(lib);
    let mut map = BTreeMap::new();
    for stmt in code.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim();
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = items.trim();
        let names: Vec<&str> = match items.strip_prefix('{') {
            Some(list) => list.trim_end_matches('}').split(',').collect(),
            None => vec![items],
        };
        for n in names {
            let n = n.trim();
            let last = n.rsplit("::").next().unwrap_or(n);
            let alias = last.rsplit(" as ").next().unwrap_or(last).trim();
            if !alias.is_empty() {
                map.insert(alias.to_owned(), module.trim().to_owned());
            }
        }
    }
    map
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/` (`src/rules/host.rs` → `rules::host`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_owned());
    }
    parts
}

/// Every way one file breaks the layering.
fn violations(rel: &Path, src: &str, reexports: &BTreeMap<String, String>) -> Vec<String> {
    let module = module_of(rel);
    let Some(own) = layer_of(&module[0]) else {
        return vec![format!(
            "src/{}: module `{}` is in no layer; add it to LAYERS in tests/layers.rs",
            rel.display(),
            module[0]
        )];
    };
    let mut out = Vec::new();
    for (line, used) in references(&code_only(src), &module, reexports) {
        if used == module[0] {
            continue;
        }
        match layer_of(&used) {
            // The crate root's own items (`crate::VERSION`).
            None => {}
            Some(l) if l < own => {}
            Some(l) => out.push(format!(
                "src/{}:{line}: `{}` (layer {own}) uses `{used}` (layer {l}{})",
                rel.display(),
                module[0],
                if l == own {
                    ", a sibling"
                } else {
                    ", above it"
                }
            )),
        }
    }
    out
}

#[test]
fn layers_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let reexports = reexports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        if rel == Path::new("lib.rs") || rel.starts_with("bin") {
            continue;
        }
        checked += 1;
        problems.extend(violations(
            rel,
            &std::fs::read_to_string(path).unwrap(),
            &reexports,
        ));
    }
    assert!(checked > 30, "only {checked} files found under src/");
    assert!(
        problems.is_empty(),
        "{} upward or sideways imports:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The checker sees each way a module can be named, and stays quiet about text that is not code.
#[test]
fn checker_finds_violations() {
    let reexports =
        reexports("pub use rules::validate;\npub use model::{parse_settings, Account};");
    let src = r#"
use crate::model::Host;
use crate::{documents::xml, text};
// use crate::catalog::RULES;   (a comment)
const S: &str = "crate::wasm::x";
fn f() { let _ = crate::validate; let c = '{'; }
mod tests {
    use super::*;
    fn g() { super::super::super::advisor::advise(); }
}
"#;
    let got = violations(Path::new("rules/host.rs"), src, &reexports);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0].contains("src/rules/host.rs:3: `rules` (layer 5) uses `documents`"),
        "{got:#?}"
    );
    assert!(
        got[1].contains(":9: `rules` (layer 5) uses `advisor`"),
        "{got:#?}"
    );
    // From a top-level file, `super::` is the crate root.
    let got = violations(
        Path::new("model/mod.rs"),
        "fn f() { super::providers::by_id(\"x\"); }",
        &reexports,
    );
    assert_eq!(got.len(), 1, "{got:#?}");
    // Siblings may not use each other.
    let got = violations(
        Path::new("advisor/mod.rs"),
        "use crate::documents::export;",
        &reexports,
    );
    assert!(got[0].contains("a sibling"), "{got:#?}");
    // A module missing from LAYERS is itself a failure.
    let got = violations(Path::new("newthing.rs"), "", &reexports);
    assert!(got[0].contains("in no layer"), "{got:#?}");
}
