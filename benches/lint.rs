//! Linting Thunderbird's whole ISPDB corpus (163 files, vendored in `tests/data/ispdb`; a missing
//! file stops the bench). Budget: 50 ms for the corpus
//! on one core. `ispdb/parse` (the defensive XML reader alone) is the baseline the full lint is
//! compared with. `ispdb/history-scale` lints 3,519 documents (the corpus repeated), the number of
//! files in the ISPDB's whole git history, which must take seconds, not minutes.
use criterion::{criterion_group, criterion_main, Criterion};
use mailsetup::documents::{lint_autoconfig, xml};
use std::hint::black_box;

/// The corpus loader the tests use (it fails on a missing file).
#[path = "../tests/data/mod.rs"]
mod data;

fn corpus() -> Vec<String> {
    data::ispdb().into_iter().map(|f| f.text).collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
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
    let history: Vec<&String> = files.iter().cycle().take(HISTORY_FILES).collect();
    let mut group = c.benchmark_group("ispdb");
    group.sample_size(10);
    group.bench_function(format!("history-scale ({HISTORY_FILES} files)"), |b| {
        b.iter(|| {
            for f in &history {
                black_box(lint_autoconfig(black_box(f)).ok());
            }
        })
    });
    group.finish();
}

/// How many documents the ISPDB's git history holds (3,519 versions of its files).
const HISTORY_FILES: usize = 3_519;

criterion_group!(benches, bench);
criterion_main!(benches);
