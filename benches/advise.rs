//! Advisor speed: a whole recommendation (scoring, what-ifs, settings) against the bare scoring
//! of the weights table as the baseline, for a case where single changes flip the answer and
//! for the slowest case (no single change flips it, so pairs are searched).
use criterion::{criterion_group, criterion_main, Criterion};
use mailsetup::advisor::{advise, parse_situation_json, score};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    const ONE_COMPUTER: &str = r#"{"devices": 1, "backup": true, "email": "someone@gmail.com"}"#;
    const THREE_DEVICES: &str = r#"{"devices": 3, "email": "someone@gmail.com"}"#;
    let one = parse_situation_json(ONE_COMPUTER).unwrap();
    let three = parse_situation_json(THREE_DEVICES).unwrap();
    c.bench_function("advise/baseline-score-only", |b| {
        b.iter(|| score(black_box(&one)))
    });
    c.bench_function("advise/one-computer-backup-gmail", |b| {
        b.iter(|| advise(black_box(&one)))
    });
    c.bench_function("advise/three-devices-gmail-pair-search", |b| {
        b.iter(|| advise(black_box(&three)))
    });
    c.bench_function("advise/parse-situation-json", |b| {
        b.iter(|| parse_situation_json(black_box(ONE_COMPUTER)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
