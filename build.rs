//! Compiles the provider data (`src/providers/data/*.toml`, format in its SCHEMA.md) into the
//! crate: checks every file with the rules of `src/providers/schema.rs` (the same code the
//! library uses for a provider given at run time), stops the build with `file:line: problem`
//! for anything malformed, and writes the providers, sorted by id, as one JSON document to
//! `$OUT_DIR/providers.json`, which the native library includes (`src/providers/mod.rs`).
//!
//! It also writes `$OUT_DIR/providers-lean.json`: the same without the sources' quotes,
//! locators, file and snapshot names, and with short source ids. That is the table the
//! WebAssembly modules load as a separate file (`scripts/build-pkg.sh` copies it to
//! `pkg/providers.json`): 182 providers do not fit in the main module's size budget.
//!
//! Checks that need more than the files — the public databases (`tests/ispdb_crosscheck.rs`)
//! and today's date (`tests/providers_data.rs`) — are tests, so the build stays deterministic.

#[allow(dead_code)]
#[path = "src/providers/schema.rs"]
mod schema;

use schema::ProviderFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DATA_DIR: &str = "src/providers/data";

fn main() {
    println!("cargo::rerun-if-changed={DATA_DIR}");
    println!("cargo::rerun-if-changed=src/providers/schema.rs");
    let (providers, problems) = load(Path::new(DATA_DIR));
    if !problems.is_empty() {
        eprintln!(
            "the provider data has {} problem(s) ({DATA_DIR}/SCHEMA.md says how the files are written):",
            problems.len()
        );
        for p in &problems {
            eprintln!("  {p}");
        }
        std::process::exit(1);
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let full = serde_json::to_string(&providers).expect("the data serializes");
    std::fs::write(out.join("providers.json"), full).expect("OUT_DIR is writable");
    let lean: Vec<ProviderFile> = providers.into_iter().map(lean_sources).collect();
    let lean = serde_json::to_string(&lean).expect("the data serializes");
    std::fs::write(out.join("providers-lean.json"), lean).expect("OUT_DIR is writable");
}

/// Every provider file, checked, sorted by id; and every problem as `file:line: path: message`.
pub(crate) fn load(dir: &Path) -> (Vec<ProviderFile>, Vec<String>) {
    let mut problems = Vec::new();
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            // EXCLUDED.toml and EXCEPTIONS.toml are the cross-check's, not providers.
            .filter(|p| {
                p.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| !s.starts_with(|c: char| c.is_ascii_uppercase()))
            })
            .collect(),
        Err(e) => return (Vec::new(), vec![format!("{}: {e}", dir.display())]),
    };
    paths.sort();
    let mut providers = Vec::new();
    for path in &paths {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        // TOML as a JSON value, read by the same reader the library uses for JSON.
        let value: serde_json::Value = match toml::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                let line = e.span().map_or(1, |s| line_of(&text, s.start));
                let message = e.message().replace('\n', " ");
                problems.push(format!("{name}:{line}: {message}"));
                continue;
            }
        };
        let (file, mut found) = match schema::read(&value) {
            Ok(file) => {
                let found = schema::check_data_file(&file);
                (file, found)
            }
            Err(found) => (ProviderFile::default(), found),
        };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if found.is_empty() && file.id != stem {
            found.push(schema::Problem {
                path: "id".into(),
                message: format!("{:?} must equal the file name {stem:?}", file.id),
            });
        }
        let broken = !found.is_empty();
        for p in found {
            let line = line_of_path(&text, &p.path);
            problems.push(format!("{name}:{line}: {}: {}", p.path, p.message));
        }
        if broken {
            continue;
        }
        providers.push((name, text, file));
    }
    problems.extend(shared_names(&providers));
    // By id, which the library's lookups binary-search (file names sort otherwise: "gmx-com" <
    // "gmx" as files, but not as ids).
    let mut providers: Vec<ProviderFile> = providers.into_iter().map(|(_, _, f)| f).collect();
    providers.sort_by(|a, b| a.id.cmp(&b.id));
    (providers, problems)
}

/// Address domains and MX suffixes listed by two providers (a domain both really share is
/// marked `shared = true` in each).
fn shared_names(providers: &[(String, String, ProviderFile)]) -> Vec<String> {
    let mut domains: BTreeMap<&str, Vec<(usize, String, bool)>> = BTreeMap::new();
    let mut mx: BTreeMap<&str, Vec<(usize, String)>> = BTreeMap::new();
    for (n, (_, _, f)) in providers.iter().enumerate() {
        for (i, d) in f.domains.iter().enumerate() {
            for (j, name) in d.names.iter().enumerate() {
                domains.entry(name.as_str()).or_default().push((
                    n,
                    format!("domains[{i}].names[{j}]"),
                    d.shared,
                ));
            }
        }
        for (i, d) in f.mx.iter().enumerate() {
            for (j, name) in d.suffixes.iter().enumerate() {
                mx.entry(name.as_str())
                    .or_default()
                    .push((n, format!("mx[{i}].suffixes[{j}]")));
            }
        }
    }
    let mut problems = Vec::new();
    let at = |n: usize, path: &str| {
        let (name, text, _) = &providers[n];
        format!("{name}:{}", line_of_path(text, path))
    };
    for (domain, owners) in &domains {
        let files: std::collections::BTreeSet<usize> = owners.iter().map(|o| o.0).collect();
        if files.len() > 1 && !owners.iter().all(|o| o.2) {
            let ids: Vec<&str> = files.iter().map(|&n| providers[n].2.id.as_str()).collect();
            for (n, path, _) in owners {
                problems.push(format!(
                    "{}: {path}: {domain} is listed by {} (mark every entry `shared = true` if they really share it)",
                    at(*n, path),
                    ids.join(" and ")
                ));
            }
        }
    }
    for (suffix, owners) in &mx {
        let files: std::collections::BTreeSet<usize> = owners.iter().map(|o| o.0).collect();
        if files.len() > 1 {
            for (n, path) in owners {
                problems.push(format!(
                    "{}: {path}: MX suffix {suffix} is listed by more than one provider",
                    at(*n, path)
                ));
            }
        }
    }
    problems
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where the value at `path` (`servers[2].port`) is written; the line of the closest
/// enclosing value that exists, else 1.
fn line_of_path(text: &str, path: &str) -> usize {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else {
        return 1;
    };
    let mut span = 0..0;
    let mut table = Some(root.get_ref());
    let mut value: Option<&DeValue> = None;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        let Some(t) = table.or(match value {
            Some(DeValue::Table(t)) => Some(t),
            _ => None,
        }) else {
            break;
        };
        let Some(v) = t.get(key) else { break };
        span = v.span();
        let mut current = v.get_ref();
        for index in indexes
            .split(['[', ']'])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse::<usize>().ok())
        {
            match current {
                DeValue::Array(items) => match items.get(index) {
                    Some(item) => {
                        span = item.span();
                        current = item.get_ref();
                    }
                    None => break,
                },
                _ => break,
            }
        }
        value = Some(current);
        table = None;
    }
    if span.start == 0 && span.end == 0 {
        1
    } else {
        line_of(text, span.start)
    }
}

/// The sources without what the WebAssembly table leaves out, with short ids.
fn lean_sources(mut p: ProviderFile) -> ProviderFile {
    let ids: BTreeMap<String, String> = p
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), short_id(i)))
        .collect();
    for s in &mut p.sources {
        s.id = ids[&s.id].clone();
        s.quote = None;
        s.locator = None;
        s.file = None;
        s.entry = None;
        s.snapshot = None;
        s.last_checked = None;
    }
    let rename = |list: &mut Vec<String>| {
        for id in list.iter_mut() {
            if let Some(short) = ids.get(id.as_str()) {
                *id = short.clone();
            }
        }
    };
    p.domains.iter_mut().for_each(|f| rename(&mut f.sources));
    p.mx.iter_mut().for_each(|f| rename(&mut f.sources));
    p.servers.iter_mut().for_each(|f| rename(&mut f.sources));
    p.not_offered
        .iter_mut()
        .for_each(|f| rename(&mut f.sources));
    p.mechanisms.iter_mut().for_each(|f| rename(&mut f.sources));
    p.credentials
        .iter_mut()
        .for_each(|f| rename(&mut f.sources));
    p.changes.iter_mut().for_each(|f| rename(&mut f.sources));
    p.enable.iter_mut().for_each(|f| rename(&mut f.sources));
    p.plans.iter_mut().for_each(|f| rename(&mut f.sources));
    p.client_requirements
        .iter_mut()
        .for_each(|f| rename(&mut f.sources));
    p.no_mail_app_access
        .iter_mut()
        .for_each(|f| rename(&mut f.sources));
    p.bridges.iter_mut().for_each(|f| rename(&mut f.sources));
    p.pop3.iter_mut().for_each(|f| rename(&mut f.sources));
    p.notes.iter_mut().for_each(|f| rename(&mut f.sources));
    p.help.iter_mut().for_each(|f| rename(&mut f.sources));
    p
}

/// `0`…`9`, `a`…`z`, `10`, …: base 36.
fn short_id(mut i: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut s = Vec::new();
    loop {
        s.push(DIGITS[i % 36]);
        i /= 36;
        if i == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII digits")
}
