//! Validation throughput: a typical account, and an unknown host (the typo-search path).
use criterion::{criterion_group, criterion_main, Criterion};
use mailsetup::{parse_settings_json, validate};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let typical = parse_settings_json(
        r#"{"email":"someone@gmail.com","incoming":{"protocol":"imap","host":"imap.gmail.com","port":993,"security":"tls","auth":"app-password","username":"someone@gmail.com"},
            "outgoing":{"protocol":"smtp","host":"smtp.gmail.com","port":465,"security":"tls","auth":"app-password","username":"someone@gmail.com"}}"#,
    )
    .unwrap();
    let unknown = parse_settings_json(
        r#"{"email":"me@example.org","incoming":{"protocol":"imap","host":"imap.gmial.com","port":993,"security":"tls","auth":"password","username":"me@example.org"},
            "outgoing":{"protocol":"smtp","host":"smtp.exampel.org","port":587,"security":"starttls","auth":"password","username":"me@example.org"}}"#,
    )
    .unwrap();
    c.bench_function("validate/typical-account", |b| {
        b.iter(|| validate(black_box(&typical)))
    });
    c.bench_function("validate/unknown-host", |b| {
        b.iter(|| validate(black_box(&unknown)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
