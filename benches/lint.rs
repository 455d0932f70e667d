//! Linting Thunderbird's whole ISPDB corpus (163 files, read at bench time from
//! `../shared/ispdb`; the bench does nothing where it is absent). Budget: 50 ms for the corpus
//! on one core. `ispdb/parse` (the defensive XML reader alone) is the baseline the full lint is
//! compared with.
use criterion::{criterion_group, criterion_main, Criterion};
use mailsetup::documents::{lint_autoconfig, xml};
use std::hint::black_box;
use std::path::PathBuf;

fn corpus() -> Option<Vec<String>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ispdb");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    Some(
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("readable corpus file"))
            .collect(),
    )
}

fn bench(c: &mut Criterion) {
    let Some(files) = corpus() else {
        eprintln!("skipping the lint benchmark: no ISPDB corpus at ../shared/ispdb");
        return;
    };
    c.bench_function(&format!("ispdb/parse ({} files)", files.len()), |b| {
        b.iter(|| {
            for f in &files {
                black_box(xml::parse(black_box(f)).ok());
            }
        })
    });
    c.bench_function(&format!("ispdb/lint ({} files)", files.len()), |b| {
        b.iter(|| {
            for f in &files {
                black_box(lint_autoconfig(black_box(f)).ok());
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
