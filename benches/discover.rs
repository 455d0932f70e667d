//! Discovery's budgets, against the loopback fixtures (tests/discover_fixture/):
//!
//! 1. latency: one discovery takes at most 1.2× the slowest single lookup it had to wait for
//!    (DNS for the domain answers after an injected 300 ms); the median of 11 runs, and one trace;
//! 2. throughput: a batch of 10,000 domains (a third with SRV, a third at an MX provider in the
//!    ISPDB mirror, a third with nothing; guessing on; concurrency 256) at ≥ 500 domains/s, with
//!    flat memory (RSS sampled over time) and the exact totals the zone holds. What it measures:
//!    `batch::run` doing the whole work per domain — 16 DNS queries (MX, six SRV, six guessed
//!    names, A and AAAA of the two autoconfig hosts), the ISPDB over HTTPS (kept-alive), the two
//!    autoconfig URLs (their names do not resolve), the MX provider's documents (fetched once for
//!    the run), the analysis (every candidate validated) and its JSON line — against a real DNS
//!    server and a real HTTPS server in this process. The CPU of the product and of the fixtures'
//!    threads (named `fixture`) are reported apart.
//!
//! `cargo bench --bench discover` (scripts/bench-discover.sh runs it and keeps the output). Not
//! criterion: the budgets are ratios and a rate over one long run, not a per-iteration time.

#[path = "../tests/discover_fixture/mod.rs"]
mod discover_fixture;

use discover_fixture::*;
use mailsetup::discovery::net::{batch, Config, Engine};
use mailsetup::discovery::{Options, Request};
use mailsetup::probe::Trust;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DOMAINS: usize = 10_000;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// CPU seconds (user + system) of the whole process, and of its threads named `fixture` (the
/// loopback DNS and HTTPS servers), from /proc (USER_HZ is 100 on Linux).
fn cpu_seconds() -> (f64, f64) {
    let ticks = |stat: &str| -> f64 {
        // The fields after the command name (which is in parentheses and may hold spaces).
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<&str> = rest.split_whitespace().collect();
        let n = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
        (n(11) + n(12)) / 100.0
    };
    let total = std::fs::read_to_string("/proc/self/stat")
        .map(|s| ticks(&s))
        .unwrap_or(0.0);
    let mut fixture = 0.0;
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for t in dir.flatten() {
            let comm = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
            if comm.trim() == "fixture" {
                fixture += std::fs::read_to_string(t.path().join("stat"))
                    .map(|s| ticks(&s))
                    .unwrap_or(0.0);
            }
        }
    }
    (total, fixture)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut zone = scenarios();
    for i in 0..DOMAINS {
        let d = format!("d{i}.bench.test");
        zone.apex(&d);
        match i % 3 {
            0 => {
                zone.srv(&format!("_imaps._tcp.{d}"), 0, 1, 993, &format!("imap.{d}"));
                zone.srv(
                    &format!("_submissions._tcp.{d}"),
                    0,
                    1,
                    465,
                    &format!("smtp.{d}"),
                );
            }
            1 => {
                zone.mx(&d, 10, "mx.mailhost.test");
                zone.https(
                    "ispdb.test",
                    &format!("/v1.1/{d}"),
                    Route::Xml(autoconfig(
                        &d,
                        "imap.mailhost.test",
                        993,
                        "SSL",
                        "smtp.mailhost.test",
                        465,
                        "SSL",
                    )),
                );
            }
            _ => {
                zone.txt(&d, "nothing here");
            }
        }
    }
    let f = start(zone, None);
    let trust = Trust::from_pem_file(&f.ca_file).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let _g = rt.enter();
    let engine = Engine::new(Config {
        resolvers: Some(vec![f.dns]),
        trust,
        dns_timeout: Duration::from_secs(3),
        http_timeout: Duration::from_secs(3),
        probe_timeout: Duration::from_secs(3),
        deadline: Duration::from_secs(10),
    })
    .unwrap();
    let options = Options {
        ispdb_url: f.ispdb_url.clone(),
        port_offset: f.offset,
        ..Options::default()
    };

    // 1. Latency: every DNS answer for slowdns.test comes after 300 ms.
    let request = Request::new("someone@slowdns.test", options.clone()).unwrap();
    let mut ratios = Vec::new();
    let mut totals = Vec::new();
    let mut slowest_all = Vec::new();
    let mut shown = None;
    for _ in 0..11 {
        let t = Instant::now();
        let (evidence, d) = rt.block_on(engine.discover(&request));
        let total = t.elapsed().as_secs_f64() * 1e3;
        let slowest = evidence
            .observations
            .iter()
            .map(|o| o.ms)
            .fold(0.0, f64::max);
        ratios.push(total / slowest);
        totals.push(total);
        slowest_all.push(slowest);
        shown = Some(d);
    }
    println!("latency (someone@slowdns.test, DNS delayed 300 ms, 11 runs):");
    println!(
        "  median total {:.1} ms, median slowest lookup {:.1} ms, median ratio {:.3} (budget ≤ 1.2)",
        median(totals),
        median(slowest_all),
        median(ratios.clone())
    );
    println!("  trace of the last run (start ms, duration ms, outcome, lookup):");
    if let Some(d) = shown {
        let mut steps = d.trace.clone();
        steps.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        for s in steps {
            println!(
                "    {:>7.1} {:>7.1}  {:?}  {}",
                s.start_ms, s.ms, s.outcome, s.what
            );
        }
    }

    // 2. Throughput and memory: 10,000 domains.
    let inputs: Vec<String> = (0..DOMAINS).map(|i| format!("d{i}.bench.test")).collect();
    let samples = Arc::new(Mutex::new(Vec::<(f64, u64)>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let t0 = Instant::now();
    let sampler = {
        let (samples, stop) = (samples.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                samples
                    .lock()
                    .unwrap()
                    .push((t0.elapsed().as_secs_f64(), rss_kib()));
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };
    let mut totals = batch::Totals::default();
    let mut bytes = 0usize;
    let cpu0 = cpu_seconds();
    rt.block_on(batch::run(&engine, inputs, &options, 256, |line| {
        totals.add(&line);
        bytes += serde_json::to_vec(&line).map(|v| v.len()).unwrap_or(0);
    }));
    let secs = t0.elapsed().as_secs_f64();
    let cpu1 = cpu_seconds();
    stop.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    let samples = samples.lock().unwrap().clone();
    println!("batch ({DOMAINS} domains, concurrency 256, guessing on):");
    println!(
        "  {:.2} s, {:.0} domains/s (budget ≥ 500); {} KiB of JSON Lines",
        secs,
        DOMAINS as f64 / secs,
        bytes / 1024
    );
    let (fixture_cpu, all_cpu) = (cpu1.1 - cpu0.1, cpu1.0 - cpu0.0);
    println!(
        "  CPU: product {:.3} ms/domain, loopback fixtures {:.3} ms/domain ({:.1} s and {:.1} s of CPU)",
        (all_cpu - fixture_cpu) * 1e3 / DOMAINS as f64,
        fixture_cpu * 1e3 / DOMAINS as f64,
        all_cpu - fixture_cpu,
        fixture_cpu
    );
    println!(
        "  summary: autoconfig {} srv {} implicit TLS {} STARTTLS only {} cleartext only {} nothing {} unknown {} incomplete {}",
        totals.autoconfig, totals.srv, totals.implicit_tls, totals.starttls_only, totals.cleartext_only, totals.nothing, totals.unknown, totals.incomplete
    );
    // What the zone holds: every third domain has SRV, every third is in the ISPDB mirror (via
    // its MX), the rest publish nothing. Every lookup must have been answered.
    let srv = DOMAINS.div_ceil(3);
    let ispdb = (DOMAINS + 1) / 3;
    let want = (srv, srv + ispdb, DOMAINS - srv - ispdb, 0);
    let got = (
        totals.srv,
        totals.implicit_tls,
        totals.nothing,
        totals.unknown + totals.incomplete,
    );
    println!(
        "  totals {}: srv {} implicit TLS {} nothing {} unanswered {} (want {} {} {} {})",
        if got == want { "correct" } else { "WRONG" },
        got.0,
        got.1,
        got.2,
        got.3,
        want.0,
        want.1,
        want.2,
        want.3
    );
    let q = samples.len() / 4;
    if q > 0 {
        let first: Vec<f64> = samples[..q].iter().map(|s| s.1 as f64).collect();
        let last: Vec<f64> = samples[samples.len() - q..]
            .iter()
            .map(|s| s.1 as f64)
            .collect();
        println!(
            "  RSS over time (KiB): {} samples; median of the first quarter {:.0}, of the last quarter {:.0} (ratio {:.2})",
            samples.len(),
            median(first.clone()),
            median(last.clone()),
            median(last) / median(first)
        );
    }
    let line: Vec<String> = samples
        .iter()
        .step_by((samples.len() / 12).max(1))
        .map(|(t, r)| format!("{t:.1}s:{r}"))
        .collect();
    println!("  RSS samples: {}", line.join(" "));
}
