//! The probe tests' harness: a real Dovecot and misbehaving peers on loopback, started from
//! `scripts/mailserver/` and stopped by a watchdog when the test binary exits (statics are never
//! dropped, so a `Drop` guard would not run). Nothing is installed here: `scripts/setup.sh` does
//! that; a missing tool fails the test with a message naming what to install, never a silent pass.
//!
//! The tests that need these servers run with `cargo test --features real-servers` (as
//! `scripts/test.sh` does); without the feature they are ignored, so a plain `cargo test` passes
//! on a machine without Dovecot.
//!
//! Each test binary uses its own slot of ports and its own directory, so binaries can run side by
//! side; when a slot's ports are taken (another checkout running the same tests), the next group
//! of bases is tried.

#![allow(dead_code)]

pub mod dns;

use mailsetup::probe::{self, ProbeReport, ProbeRequest, Trust};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

/// A started harness: its PORT_BASE, its directory and the KEY=VALUE lines it printed.
#[derive(Debug, Clone)]
pub struct Harness {
    pub base: u16,
    pub dir: PathBuf,
    pub env: HashMap<String, String>,
}

/// The PORT_BASEs a slot may use, in order: 16000 + 1000·slot, then 6000 higher, twice. Ports are
/// base + 25…995 (standard ports) and base + 200…299 (fault peers): below the ephemeral range, clear
/// of the shared harness's default 10000, and distinct per slot.
pub fn port_bases(slot: u16) -> [u16; 3] {
    [0, 1, 2].map(|k| 16000 + k * 6000 + slot * 1000)
}

/// Runs `start` on each base of the slot until one works; panics with every error otherwise.
fn first_free(slot: u16, mut start: impl FnMut(u16) -> Result<Harness, String>) -> Harness {
    let mut errors = Vec::new();
    for base in port_bases(slot) {
        match start(base) {
            Ok(h) => return h,
            Err(e) => errors.push(format!("PORT_BASE={base}: {e}")),
        }
    }
    panic!("could not start the harness:\n{}", errors.join("\n"))
}

impl Harness {
    pub fn get(&self, key: &str) -> &str {
        self.env.get(key).unwrap_or_else(|| {
            panic!(
                "harness {} has no {key}: {:?}",
                self.dir.display(),
                self.env
            )
        })
    }

    pub fn port(&self, key: &str) -> u16 {
        self.get(key).parse().unwrap()
    }

    pub fn ca(&self) -> Trust {
        Trust::from_pem_file(Path::new(self.get("MAIL_CA_FILE"))).unwrap()
    }
}

pub fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/mailserver")
}

/// Fails unless the shell test `check` passes, naming the Debian packages that provide it.
fn require_that(check: &str, what: &str, install: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(check)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        found,
        "{what} is not installed: run scripts/setup.sh first (it runs `apt-get install {install}`)"
    );
}

/// Fails unless the command `tool` is installed.
pub fn require(tool: &str, install: &str) {
    require_that(
        &format!("command -v {tool} >/dev/null || test -x /usr/sbin/{tool}"),
        &format!("`{tool}`"),
        install,
    );
}

/// The tools the harness runs: Dovecot with its IMAP, POP3 and submission services (when
/// `dovecot`), python3 for the peers, openssl for the test PKI, setsid for the watchdog.
pub fn require_tools(dovecot: bool) {
    if dovecot {
        let packages = "dovecot-core dovecot-imapd dovecot-pop3d dovecot-submissiond";
        require("dovecot", packages);
        require_that(
            "for b in imap imap-login pop3 pop3-login submission submission-login; do \
             test -x /usr/lib/dovecot/$b || exit 1; done",
            "Dovecot's IMAP, POP3 or submission service",
            packages,
        );
    }
    require("python3", "python3");
    require("openssl", "openssl");
    require("setsid", "util-linux");
}

/// The directory of one harness instance: stable across runs (so leftovers can be stopped), one
/// per checkout, and under the system's temporary directory, because when the tests run as root
/// Dovecot's unprivileged user must reach it (a checkout under /root would not do).
pub fn dir_for(name: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_MANIFEST_DIR").hash(&mut h);
    std::env::temp_dir().join(format!("mailsetup-probe-{:08x}-{name}", h.finish() as u32))
}

static WATCHED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Stops what an earlier run left in `dir` (its watchdog first), then starts a watchdog for this
/// test binary. Once per directory per process.
fn prepare(dir: &Path) {
    let mut watched = WATCHED.lock().unwrap();
    let set = watched.get_or_insert_with(HashSet::new);
    if set.contains(dir) {
        return;
    }
    std::fs::create_dir_all(dir).unwrap();
    if let Ok(pid) = std::fs::read_to_string(dir.join("watchdog.pid")) {
        let pid = pid.trim();
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains("watchdog.sh") {
            let _ = Command::new("kill").arg(pid).status();
        }
    }
    let _ = Command::new(scripts().join("start-test-mailserver.sh"))
        .arg("stop")
        .arg(dir)
        .env("FAST_STOP", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = Command::new(scripts().join("fault-peers.sh"))
        .arg("stop")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    // `setsid --fork` returns at once; the watchdog lives on in its own session.
    let started = Command::new("setsid")
        .arg("--fork")
        .arg(scripts().join("watchdog.sh"))
        .arg(std::process::id().to_string())
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("cannot start the harness watchdog");
    assert!(started.success(), "cannot start the harness watchdog");
    set.insert(dir.to_path_buf());
}

fn parse_env(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Starts a Dovecot (IMAP, POP3, submission) in port slot `slot` with the given knobs
/// (see scripts/mailserver/README.md).
pub fn dovecot(name: &str, slot: u16, knobs: &[(&str, &str)]) -> Harness {
    require_tools(true);
    let dir = dir_for(name);
    prepare(&dir);
    first_free(slot, |base| {
        let out = Command::new(scripts().join("start-test-mailserver.sh"))
            .arg("start")
            .arg(&dir)
            .env("PORT_BASE", base.to_string())
            .env("INSTALL_PACKAGES", "0")
            .env("RELAY_SINK", "0")
            .envs(knobs.iter().copied())
            .stdin(Stdio::null())
            .output()
            .expect("cannot run start-test-mailserver.sh");
        if !out.status.success() {
            return Err(format!(
                "Dovecot did not start ({}):\n{}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(Harness {
            base,
            dir: dir.clone(),
            env: parse_env(&String::from_utf8_lossy(&out.stdout)),
        })
    })
}

/// Starts the standard fault peers (scripts/mailserver/fault-peers.sh) at PORT_BASE + 200….
pub fn fault_peers(name: &str, slot: u16, knobs: &[(&str, &str)]) -> Harness {
    require_tools(false);
    let dir = dir_for(name);
    prepare(&dir);
    first_free(slot, |base| {
        let out = Command::new(scripts().join("fault-peers.sh"))
            .arg("start")
            .arg(&dir)
            .env("PORT_BASE", base.to_string())
            .envs(knobs.iter().copied())
            .stdin(Stdio::null())
            .output()
            .expect("cannot run fault-peers.sh");
        if !out.status.success() {
            return Err(format!(
                "fault peers did not start ({}):\n{}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let mut env = parse_env(&String::from_utf8_lossy(&out.stdout));
        let ca = env.get("FAULT_CA_FILE").cloned().unwrap_or_default();
        let certs = Path::new(&ca).parent().unwrap().display().to_string();
        env.insert("MAIL_CA_FILE".into(), ca);
        env.insert("MAIL_CERTS_DIR".into(), certs);
        Ok(Harness {
            base,
            dir: dir.clone(),
            env,
        })
    })
}

/// Starts one more peer (`fault-peers.py MODE ARGS…`) on 127.0.0.1:`port`, with its pid file
/// beside the standard peers' (so the watchdog stops it too). Returns once it listens.
pub fn extra_peer(h: &Harness, key: &str, port: u16, args: &[&str]) {
    let pids = h.dir.join("fault-peers");
    std::fs::create_dir_all(&pids).unwrap();
    let out_path = pids.join(format!("{key}.out"));
    let out = std::fs::File::create(&out_path).unwrap();
    // `setsid --fork` returns at once; the peer lives on in its own session.
    let started = Command::new("setsid")
        .arg("--fork")
        .arg("python3")
        .arg(scripts().join("fault-peers.py"))
        .args(args)
        .arg("--port")
        .arg(port.to_string())
        .arg("--pid-file")
        .arg(pids.join(format!("{key}.pid")))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .status()
        .expect("cannot start a peer");
    assert!(started.success(), "cannot start peer {key}");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let said = std::fs::read_to_string(&out_path).unwrap_or_default();
        if said.starts_with("READY") {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "peer {key} did not start: {said:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Probes with a request built by `f`, in-process.
pub fn probe_with(targets: &[&str], f: impl FnOnce(&mut ProbeRequest)) -> ProbeReport {
    let mut req = ProbeRequest {
        targets: targets.iter().map(|t| t.to_string()).collect(),
        ..ProbeRequest::default()
    };
    f(&mut req);
    probe::probe_blocking(req).expect("probe request refused")
}

/// Probes trusting `ca`, with a per-endpoint timeout.
pub fn probe(targets: &[&str], ca: &Trust, timeout: Duration) -> ProbeReport {
    probe_with(targets, |r| {
        r.options.trust = ca.clone();
        r.options.timeout = timeout;
    })
}

/// The codes of a report's findings, sorted.
pub fn codes(r: &ProbeReport) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = r.findings.iter().map(|f| f.code).collect();
    c.sort_unstable();
    c.dedup();
    c
}

/// The report as JSON (what `--json` prints), for "never in the output" assertions.
pub fn json(r: &ProbeReport) -> String {
    serde_json::to_string(r).unwrap()
}

/// Asserts `code` is among the findings, with the whole report on failure.
#[track_caller]
pub fn assert_finding(r: &ProbeReport, code: &str) {
    assert!(
        r.findings.iter().any(|f| f.code == code),
        "expected {code}, got {:?}\n{}",
        codes(r),
        serde_json::to_string_pretty(r).unwrap()
    );
}

#[track_caller]
pub fn assert_no_finding(r: &ProbeReport, code: &str) {
    assert!(
        !r.findings.iter().any(|f| f.code == code),
        "unexpected {code} in {:?}\n{}",
        codes(r),
        serde_json::to_string_pretty(r).unwrap()
    );
}
