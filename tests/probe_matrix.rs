//! The probe against the servers people really run (issue 12): Postfix, Cyrus IMAP, Courier and
//! Exim on loopback, started once by `scripts/realservers/start.sh` with their own test PKI and fault
//! variants (`scripts/realservers/README.md` lists every endpoint).
//!
//! The probe is a black box here: the `mailsetup` binary with `--json`, as a person or a script runs
//! it. What it reports is compared with an independent truth: `openssl s_client` for the TLS session
//! and the chain, and a raw client (below) for greetings and capabilities.
//!
//! Two kinds of tests:
//! * the data and verdicts the probe got right from the start (they must stay right);
//! * one test per defect of the real-server report (issue 12: D-H*, D-M*, D-L*), written as the
//!   correct behaviour before the fix, each reproducing its defect on the product that showed it.
//!
//! Needs root (Postfix's master and the namespaces of Cyrus and Courier) and
//! `scripts/realservers/install.sh`; a missing piece fails with what to run.
#![cfg(feature = "real-servers")]

use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// The matrix

struct Matrix {
    dir: PathBuf,
    env: HashMap<String, String>,
}

impl Matrix {
    fn get(&self, key: &str) -> &str {
        self.env
            .get(key)
            .unwrap_or_else(|| panic!("the matrix in {} has no {key}", self.dir.display()))
    }
    fn port(&self, product: Product, key: &str) -> u16 {
        self.get(&format!("{}_{key}_PORT", product.prefix()))
            .parse()
            .unwrap()
    }
    fn ca(&self) -> &str {
        self.get("RS_CA_FILE")
    }
    fn pki(&self, file: &str) -> String {
        format!("{}/{file}", self.get("RS_PKI_DIR"))
    }
    fn log(&self, product: Product) -> String {
        std::fs::read_to_string(self.get(&format!("{}_LOG", product.prefix()))).unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Product {
    Postfix,
    Cyrus,
    Courier,
    Exim,
}

impl Product {
    fn prefix(self) -> &'static str {
        match self {
            Product::Postfix => "POSTFIX",
            Product::Cyrus => "CYRUS",
            Product::Courier => "COURIER",
            Product::Exim => "EXIM",
        }
    }
    fn addr(self) -> &'static str {
        matrix().get(&format!("{}_ADDR", self.prefix()))
    }
    fn name(self) -> &'static str {
        matrix().get(&format!("{}_NAME", self.prefix()))
    }
}
use Product::*;

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/realservers")
}

/// Fails loudly, naming what to install, when a prerequisite is missing.
fn require_prerequisites() {
    let uid = Command::new("id").arg("-u").output().expect("`id` missing");
    assert_eq!(
        String::from_utf8_lossy(&uid.stdout).trim(),
        "0",
        "the real-server matrix needs root (Postfix's master and the mount namespaces of Cyrus and \
         Courier): run `cargo test --features real-servers` as root"
    );
    let missing: Vec<&str> = [
        "/usr/lib/postfix/sbin/master",
        "/usr/sbin/saslpasswd2",
        "/usr/lib/cyrus/bin/master",
        "/opt/mailsetup-realservers/usr/lib/cyrus/bin/imapd",
        "/opt/mailsetup-realservers/usr/bin/imapd",
        "/usr/lib/courier/courier-authlib/authdaemond",
        "/opt/mailsetup-realservers/usr/sbin/exim4",
        "/usr/bin/openssl",
        "/usr/bin/python3",
        "/usr/bin/unshare",
    ]
    .into_iter()
    .filter(|p| !Path::new(p).exists())
    .collect();
    assert!(
        missing.is_empty(),
        "the real-server matrix is not installed ({missing:?} missing): run \
         scripts/realservers/install.sh as root (scripts/setup.sh does)"
    );
}

/// The matrix's directory: stable per checkout (so an earlier run's leftovers are stopped), under
/// the temporary directory, which the services' users (postfix, cyrus, courier) can reach.
fn matrix_dir() -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_MANIFEST_DIR").hash(&mut h);
    std::env::temp_dir().join(format!("mailsetup-matrix-{:08x}", h.finish() as u32))
}

fn parse_env(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Starts the matrix once per test binary; a watchdog stops it when the binary exits.
fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| {
        require_prerequisites();
        let dir = matrix_dir();
        std::fs::create_dir_all(dir.join("run")).unwrap();
        // An earlier run's watchdog still waiting, and its servers.
        if let Ok(pid) = std::fs::read_to_string(dir.join("run/watchdog.pid")) {
            let pid = pid.trim();
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmdline).contains("watchdog.sh") {
                let _ = Command::new("kill").arg(pid).status();
            }
        }
        let _ = Command::new(scripts().join("start.sh"))
            .arg("stop")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let watchdog = Command::new("setsid")
            .arg("--fork")
            .arg(scripts().join("watchdog.sh"))
            .arg(std::process::id().to_string())
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("cannot start the matrix's watchdog");
        assert!(watchdog.success(), "cannot start the matrix's watchdog");
        // Another checkout may hold the default ports: try the next bases, without the real
        // standard ports (only the D-H1 test needs them, and says so when they are missing).
        let mut errors = Vec::new();
        for (base, standard) in [(12000u16, "yes"), (13000, "no"), (14000, "no")] {
            let out = Command::new(scripts().join("start.sh"))
                .arg("start")
                .arg(&dir)
                .env("PORT_BASE", base.to_string())
                .env("STANDARD_PORTS", standard)
                .stdin(Stdio::null())
                .output()
                .expect("cannot run scripts/realservers/start.sh");
            if out.status.success() {
                return Matrix {
                    dir: dir.clone(),
                    env: parse_env(&String::from_utf8_lossy(&out.stdout)),
                };
            }
            errors.push(format!(
                "PORT_BASE={base}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        panic!(
            "the real-server matrix did not start:\n{}",
            errors.join("\n")
        )
    })
}

// ---------------------------------------------------------------------------------------------
// The probe, through the CLI

struct Run {
    code: Option<i32>,
    json: Value,
    text: String,
}

impl Run {
    fn endpoints(&self) -> &Vec<Value> {
        self.json["endpoints"].as_array().unwrap()
    }
    /// The endpoint on `port`.
    fn at(&self, port: u16) -> &Value {
        self.endpoints()
            .iter()
            .find(|e| e["port"] == port)
            .unwrap_or_else(|| panic!("no endpoint on port {port}:\n{}", self.text))
    }
    fn codes(&self) -> Vec<String> {
        let mut c: Vec<String> = self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        c.sort();
        c
    }
    fn findings(&self, code: &str) -> Vec<&Value> {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .collect()
    }
    #[track_caller]
    fn assert_finding(&self, code: &str) {
        assert!(
            !self.findings(code).is_empty(),
            "expected {code}, got {:?}\n{}",
            self.codes(),
            self.text
        );
    }
    #[track_caller]
    fn assert_no_finding(&self, code: &str) {
        assert!(
            self.findings(code).is_empty(),
            "unexpected {code} in {:?}\n{}",
            self.codes(),
            self.text
        );
    }
}

fn mailsetup(args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailsetup"));
    cmd.args(args)
        .env_remove("MAILSETUP_PASSWORD")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    if let Some(p) = password {
        cmd.env("MAILSETUP_PASSWORD", p);
    }
    cmd.output().expect("cannot run mailsetup")
}

/// `mailsetup probe ARGS --json`, trusting only the matrix's CA unless ARGS name another.
fn probe_args(args: &[&str], password: Option<&str>) -> Run {
    let m = matrix();
    let mut all: Vec<&str> = vec!["probe"];
    all.extend_from_slice(args);
    if !args.contains(&"--ca-file") {
        all.extend_from_slice(&["--ca-file", m.ca()]);
    }
    all.push("--json");
    let out = mailsetup(&all, password);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "mailsetup {all:?} printed no JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Run {
        code: out.status.code(),
        json,
        text,
    }
}

/// `mailsetup probe ARGS` as a person reads it (the human report).
fn probe_human(args: &[&str]) -> String {
    let mut all: Vec<&str> = vec!["probe"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--ca-file", matrix().ca()]);
    let out = mailsetup(&all, None);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The target URL of an endpoint: the scheme says the protocol and the security expected.
fn url(scheme: &str, product: Product, port: u16) -> String {
    format!("{scheme}://{}:{port}", product.addr())
}

/// Probes one endpoint, named by its URL and verified for the product's name.
fn probe(scheme: &str, product: Product, key: &str) -> Run {
    probe_with(scheme, product, key, &[])
}

fn probe_with(scheme: &str, product: Product, key: &str, extra: &[&str]) -> Run {
    let target = url(scheme, product, matrix().port(product, key));
    let mut args = vec![target.as_str(), "--tls-name", product.name()];
    args.extend_from_slice(extra);
    probe_args(&args, None)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The truth: openssl s_client and a raw client

#[derive(Debug)]
struct SClient {
    version: String,
    cipher: String,
    chain_len: usize,
    verify_code: u32,
    temp_key: String,
}

/// `openssl s_client` against an endpoint (STARTTLS when `starttls` names the protocol).
fn s_client(product: Product, port: u16, starttls: Option<&str>, extra: &[&str]) -> SClient {
    let m = matrix();
    let connect = format!("{}:{port}", product.addr());
    let mut cmd = Command::new("openssl");
    cmd.args([
        "s_client",
        "-connect",
        &connect,
        "-servername",
        product.name(),
        "-verify_hostname",
        product.name(),
        "-CAfile",
        m.ca(),
        "-showcerts",
    ]);
    if let Some(p) = starttls {
        cmd.args(["-starttls", p]);
    }
    cmd.args(extra);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl missing: apt-get install openssl");
    child.stdin.take().unwrap().write_all(b"Q\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |prefix: &str| -> String {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    // "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"
    let new_line = field("New, ");
    let (new_version, new_cipher) = new_line
        .split_once(", Cipher is ")
        .map(|(v, c)| (v.to_string(), c.to_string()))
        .unwrap_or_default();
    let protocol = field("Protocol  :");
    SClient {
        version: if protocol.is_empty() {
            new_version
        } else {
            protocol
        },
        cipher: new_cipher,
        chain_len: text.matches("-----BEGIN CERTIFICATE-----").count(),
        verify_code: field("Verify return code:")
            .split_whitespace()
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(u32::MAX),
        temp_key: field("Server Temp Key:"),
    }
}

/// The probe's TLS data equals s_client's: version, cipher (IANA names mapped to OpenSSL's),
/// chain length, verification and key exchange.
#[track_caller]
fn assert_tls_matches(run: &Run, port: u16, truth: &SClient) {
    let tls = &run.at(port)["tls"];
    let version = tls["version"].as_str().unwrap_or_default();
    assert_eq!(
        version, truth.version,
        "TLS version; s_client: {truth:?}\n{}",
        run.text
    );
    let cipher = tls["cipherSuite"].as_str().unwrap_or_default();
    assert_eq!(
        openssl_cipher_name(cipher),
        truth.cipher,
        "cipher; s_client: {truth:?}\n{}",
        run.text
    );
    assert_eq!(
        tls["chain"].as_array().map(Vec::len).unwrap_or(0),
        truth.chain_len,
        "chain length; s_client: {truth:?}\n{}",
        run.text
    );
    assert_eq!(
        tls["verified"] == true,
        truth.verify_code == 0,
        "verification; s_client: {truth:?}\n{}",
        run.text
    );
    let kx = tls["keyExchange"].as_str().unwrap_or_default();
    let kx_openssl = match kx {
        "secp256r1" => "prime256v1",
        "secp384r1" => "secp384r1",
        other => other,
    };
    assert!(
        truth.temp_key.contains(kx_openssl),
        "key exchange {kx}; s_client: {truth:?}\n{}",
        run.text
    );
}

/// The OpenSSL name of a cipher suite as the probe names it (rustls's names today, IANA's after
/// D-L6): both map to the name s_client prints.
fn openssl_cipher_name(name: &str) -> String {
    let iana = name.replace("TLS13_", "TLS_");
    let table = [
        (
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384",
        ),
        (
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256",
        ),
        (
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "ECDHE-RSA-CHACHA20-POLY1305",
        ),
        (
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
        ),
        (
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
        ),
        (
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "ECDHE-ECDSA-CHACHA20-POLY1305",
        ),
        (
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "DHE-RSA-AES256-GCM-SHA384",
        ),
        ("TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"),
        ("TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"),
        ("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"),
    ];
    table
        .iter()
        .find(|(i, _)| *i == iana)
        .map(|(_, o)| o.to_string())
        .unwrap_or(iana)
}

/// A raw cleartext conversation: the greeting (all lines) and the capabilities the protocol's
/// command lists (IMAP CAPABILITY, POP3 CAPA, SMTP EHLO), before any TLS.
struct Raw {
    greeting: Vec<String>,
    capabilities: Vec<String>,
}

fn raw_cleartext(product: Product, port: u16, protocol: &str) -> Raw {
    let stream = TcpStream::connect((product.addr(), port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut w = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream);
    let mut line = || {
        let mut l = String::new();
        r.read_line(&mut l).unwrap();
        l.trim_end_matches(['\r', '\n']).to_string()
    };
    let mut greeting = vec![line()];
    if protocol == "smtp" {
        while greeting.last().unwrap().starts_with("220-") {
            greeting.push(line());
        }
    }
    let mut capabilities = Vec::new();
    match protocol {
        "imap" => {
            w.write_all(b"c1 CAPABILITY\r\n").unwrap();
            loop {
                let l = line();
                if let Some(caps) = l.strip_prefix("* CAPABILITY ") {
                    capabilities = caps.split_whitespace().map(String::from).collect();
                }
                if l.starts_with("c1 ") {
                    break;
                }
            }
            w.write_all(b"c2 LOGOUT\r\n").unwrap();
        }
        "pop3" => {
            w.write_all(b"CAPA\r\n").unwrap();
            assert!(line().starts_with("+OK"));
            loop {
                let l = line();
                if l == "." {
                    break;
                }
                capabilities.push(l);
            }
            w.write_all(b"QUIT\r\n").unwrap();
        }
        "smtp" => {
            w.write_all(b"EHLO truth.probe.test\r\n").unwrap();
            let first = line();
            assert!(first.starts_with("250"), "{first}");
            let mut last = first.starts_with("250 ");
            while !last {
                let l = line();
                last = l.starts_with("250 ");
                capabilities.push(l[4..].to_string());
            }
            w.write_all(b"QUIT\r\n").unwrap();
        }
        _ => unreachable!(),
    }
    Raw {
        greeting,
        capabilities,
    }
}

/// The capabilities after TLS, from `openssl s_client -quiet` sending the protocol's command.
fn capabilities_after_tls(
    product: Product,
    port: u16,
    protocol: &str,
    starttls: bool,
) -> Vec<String> {
    let connect = format!("{}:{port}", product.addr());
    let mut cmd = Command::new("openssl");
    cmd.args([
        "s_client",
        "-quiet",
        "-crlf",
        "-connect",
        &connect,
        "-servername",
        product.name(),
    ]);
    if starttls {
        cmd.args(["-starttls", protocol]);
    }
    let input: &[u8] = match protocol {
        "imap" => b"c1 CAPABILITY\nc2 LOGOUT\n",
        "pop3" => b"CAPA\nQUIT\n",
        _ => b"EHLO truth.probe.test\nQUIT\n",
    };
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Implicit TLS: wait for the greeting before speaking (a server may refuse early talkers).
    if !starttls {
        std::thread::sleep(Duration::from_millis(300));
    }
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    match protocol {
        "imap" => lines
            .iter()
            .find_map(|l| l.strip_prefix("* CAPABILITY "))
            .map(|c| c.split_whitespace().map(String::from).collect())
            .unwrap_or_default(),
        "pop3" => {
            // The CAPA answer: the last "+OK" before the first lone "."
            let Some(dot) = lines.iter().position(|l| *l == ".") else {
                return Vec::new();
            };
            let start = lines[..dot]
                .iter()
                .rposition(|l| l.starts_with("+OK"))
                .unwrap_or(0);
            lines[start + 1..dot]
                .iter()
                .map(|l| l.to_string())
                .collect()
        }
        _ => {
            // The last EHLO answer (s_client sends its own EHLO before STARTTLS): the block of
            // "250-" lines ending in "250 ", without its first line (the server's hello).
            let Some(end) = lines.iter().rposition(|l| l.starts_with("250 ")) else {
                return Vec::new();
            };
            let mut start = end;
            while start > 0 && lines[start - 1].starts_with("250-") {
                start -= 1;
            }
            lines[start + 1..=end]
                .iter()
                .map(|l| l[4..].to_string())
                .collect()
        }
    }
}

#[track_caller]
fn assert_same_set(probe: &[String], truth: &[String], what: &str, run: &Run) {
    let mut a: Vec<String> = probe.iter().map(|s| s.to_ascii_uppercase()).collect();
    let mut b: Vec<String> = truth.iter().map(|s| s.to_ascii_uppercase()).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "{what}\n{}", run.text);
}

/// Everything the probe saw on a working endpoint against the truth: TLS, greeting, capabilities
/// before and after TLS, AUTH mechanisms.
fn check_against_truth(scheme: &str, product: Product, key: &str, protocol: &str) -> Run {
    let m = matrix();
    let port = m.port(product, key);
    let run = probe(scheme, product, key);
    let ep = run.at(port);
    assert_eq!(ep["secure"], true, "{}", run.text);
    let starttls = !scheme.ends_with('s');
    let truth = s_client(product, port, starttls.then_some(protocol), &[]);
    assert_tls_matches(&run, port, &truth);
    let after = capabilities_after_tls(product, port, protocol, starttls);
    assert!(!after.is_empty(), "no capabilities from s_client");
    let probe_after = strings(&ep["capabilities"]["afterTls"]);
    // POP3's IMPLEMENTATION line and Cyrus's APOP timestamp differ per connection: compare the rest.
    let keep = |c: &String| !c.starts_with("IMPLEMENTATION");
    assert_same_set(
        &probe_after
            .iter()
            .filter(|c| keep(c))
            .cloned()
            .collect::<Vec<_>>(),
        &after
            .iter()
            .filter(|c| keep(c))
            .cloned()
            .collect::<Vec<_>>(),
        "capabilities after TLS",
        &run,
    );
    if starttls {
        let raw = raw_cleartext(product, port, protocol);
        let probe_before = strings(&ep["capabilities"]["beforeTls"]);
        assert_same_set(
            &probe_before,
            &raw.capabilities,
            "capabilities before TLS",
            &run,
        );
        if product != Cyrus || protocol != "pop3" {
            assert_eq!(
                ep["greeting"].as_str().unwrap(),
                raw.greeting.join("\r\n"),
                "greeting\n{}",
                run.text
            );
        }
    }
    run
}

// ---------------------------------------------------------------------------------------------
// Right today: the data

#[test]
fn matrix_starts_with_every_product_and_its_version() {
    let m = matrix();
    assert_eq!(m.get("RS_PRODUCTS"), "postfix,cyrus,courier,exim");
    assert!(m.get("POSTFIX_VERSION").starts_with("3."));
    assert!(m.get("EXIM_VERSION").starts_with("4."));
    assert!(m.get("CYRUS_VERSION").starts_with("3."));
    assert!(m.get("COURIER_VERSION").starts_with("5."));
    eprintln!(
        "matrix up in {} ms (PKI {} ms)",
        m.get("RS_STARTUP_MS"),
        m.get("RS_PKI_MS")
    );
}

#[test]
fn postfix_submission_starttls_matches_the_truth() {
    let run = check_against_truth("submission", Postfix, "SUBMISSION", "smtp");
    let ep = run.at(matrix().port(Postfix, "SUBMISSION"));
    assert_eq!(ep["security"], "starttls");
    // AUTH only after TLS.
    assert_eq!(strings(&ep["auth"]["beforeTls"]), Vec::<String>::new());
    assert_eq!(
        strings(&ep["auth"]["afterTls"]),
        ["PLAIN", "LOGIN", "CRAM-MD5"]
    );
    assert_eq!(ep["smtp"]["size"], 10240000);
    assert_eq!(ep["starttls"]["injection"]["result"], "notVulnerable");
    run.assert_no_finding("N204");
    assert_ne!(ep["verdict"], "error", "{}", run.text);
}

#[test]
fn postfix_submissions_implicit_tls_matches_the_truth() {
    let run = check_against_truth("submissions", Postfix, "SUBMISSIONS", "smtp");
    assert_ne!(run.json["verdict"], "error", "{}", run.text);
}

#[test]
fn postfix_tls12_only_matches_the_truth() {
    let run = check_against_truth("submission", Postfix, "TLS12_ONLY", "smtp");
    assert_eq!(
        run.at(matrix().port(Postfix, "TLS12_ONLY"))["tls"]["version"],
        "TLSv1.2"
    );
}

#[test]
fn postfix_mx_without_auth_is_not_a_submission_server() {
    let run = probe("smtp", Postfix, "SMTP");
    let ep = run.at(matrix().port(Postfix, "SMTP"));
    assert_eq!(ep["security"], "starttls", "{}", run.text);
    assert_eq!(strings(&ep["auth"]["afterTls"]), Vec::<String>::new());
    run.assert_finding("N301");
}

#[test]
fn postfix_auth_before_tls_is_reported() {
    let run = probe("submission", Postfix, "AUTH_BEFORE_TLS");
    let ep = run.at(matrix().port(Postfix, "AUTH_BEFORE_TLS"));
    let raw = raw_cleartext(Postfix, matrix().port(Postfix, "AUTH_BEFORE_TLS"), "smtp");
    assert!(raw
        .capabilities
        .contains(&"AUTH PLAIN LOGIN CRAM-MD5".to_string()));
    assert_eq!(
        strings(&ep["auth"]["beforeTls"]),
        ["PLAIN", "LOGIN", "CRAM-MD5"]
    );
    run.assert_finding("N204");
}

#[test]
fn postfix_without_tls_is_reported() {
    let run = probe_with("smtp", Postfix, "NO_TLS", &[]);
    let ep = run.at(matrix().port(Postfix, "NO_TLS"));
    assert_eq!(ep["secure"], false);
    for code in ["N201", "N204"] {
        run.assert_finding(code);
    }
    assert_eq!(run.code, Some(1), "{}", run.text);
}

#[test]
fn postfix_starttls_not_announced_is_reported() {
    let run = probe("submission", Postfix, "STARTTLS_DISCARDED");
    run.assert_finding("N201");
}

#[test]
fn postfix_size_limits_are_read() {
    let run = probe("submission", Postfix, "SIZE_50M");
    let ep = run.at(matrix().port(Postfix, "SIZE_50M"));
    assert_eq!(ep["smtp"]["size"], 52428800, "{}", run.text);
    assert_eq!(ep["smtp"]["smtputf8"], true);
    run.assert_no_finding("N501");
}

#[test]
fn postfix_postscreen_multiline_greeting_is_parsed() {
    let m = matrix();
    let port = m.port(Postfix, "POSTSCREEN");
    let run = probe_with("smtp", Postfix, "POSTSCREEN", &["--timeout", "15"]);
    let raw = raw_cleartext(Postfix, port, "smtp");
    assert!(raw.greeting.len() >= 2, "{:?}", raw.greeting);
    let greeting = run.at(port)["greeting"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(greeting.starts_with("220-"), "{}", run.text);
    assert!(greeting.contains("\n220 "), "{}", run.text);
}

/// Each fault certificate, served by OpenSSL (Postfix, Cyrus) and GnuTLS (Courier), gets its
/// finding, and s_client agrees that the certificate does not verify.
#[test]
fn fault_certificates_are_diagnosed() {
    let cases: &[(Product, &str, &str, &str, u32)] = &[
        (Postfix, "submissions", "EXPIRED", "N104", 10),
        (Postfix, "submission", "EXPIRED_STARTTLS", "N104", 10),
        (Postfix, "submissions", "NOTYETVALID", "N105", 9),
        (Postfix, "submissions", "WRONGNAME", "N106", 62),
        (Cyrus, "imaps", "IMAPS_EXPIRED", "N104", 10),
        (Cyrus, "imaps", "IMAPS_NOTYETVALID", "N105", 9),
        (Cyrus, "imaps", "IMAPS_WRONGNAME", "N106", 62),
        (Courier, "imaps", "IMAPS_EXPIRED", "N104", 10),
        (Courier, "imaps", "IMAPS_WRONGNAME", "N106", 62),
    ];
    for &(product, scheme, key, code, openssl_code) in cases {
        let port = matrix().port(product, key);
        let starttls = (!scheme.ends_with('s')).then_some("smtp");
        let truth = s_client(product, port, starttls, &[]);
        assert_eq!(
            truth.verify_code, openssl_code,
            "{product:?} {key}: {truth:?}"
        );
        let run = probe(scheme, product, key);
        run.assert_finding(code);
        assert_eq!(run.at(port)["tls"]["verified"], false, "{}", run.text);
        assert_eq!(run.at(port)["secure"], false, "{}", run.text);
    }
}

#[test]
fn certificate_expiring_in_five_days_is_a_warning() {
    for (product, key) in [(Postfix, "SOON"), (Cyrus, "IMAPS_SOON")] {
        let scheme = if product == Postfix {
            "submissions"
        } else {
            "imaps"
        };
        let run = probe(scheme, product, key);
        run.assert_finding("N107");
        let port = matrix().port(product, key);
        let leaf = &run.at(port)["tls"]["chain"][0];
        let days = leaf["daysLeft"].as_i64().unwrap();
        assert!((4..=5).contains(&days), "{}", run.text);
        assert_eq!(run.at(port)["tls"]["verified"], true, "{}", run.text);
    }
}

#[test]
fn self_signed_end_entity_certificate_verifies_with_its_own_ca_file() {
    let m = matrix();
    let ee = m.pki("selfsigned-ee.crt");
    for (product, scheme, key) in [
        (Postfix, "submissions", "SELFSIGNED_EE"),
        (Cyrus, "imaps", "IMAPS_SELFSIGNED_EE"),
    ] {
        let run = probe_with(scheme, product, key, &["--ca-file", &ee]);
        let port = m.port(product, key);
        assert_eq!(run.at(port)["tls"]["verified"], true, "{}", run.text);
        let truth = s_client(product, port, None, &["-CAfile", &ee]);
        assert_eq!(truth.verify_code, 0, "{truth:?}");
    }
}

#[test]
fn tls_1_0_only_is_obsolete() {
    let run = probe("submissions", Postfix, "TLS10_ONLY");
    run.assert_finding("N102");
    let run = probe("submission", Postfix, "TLS10_STARTTLS");
    run.assert_finding("N102");
    let truth = s_client(
        Postfix,
        matrix().port(Postfix, "TLS10_ONLY"),
        None,
        &["-cipher", "DEFAULT@SECLEVEL=0"],
    );
    assert_eq!(truth.version, "TLSv1", "{truth:?}");
}

#[test]
fn cyrus_imap_and_pop3_match_the_truth() {
    for (scheme, key, protocol) in [
        ("imaps", "IMAPS", "imap"),
        ("imap", "IMAP", "imap"),
        ("pop3s", "POP3S", "pop3"),
        ("pop3", "POP3", "pop3"),
    ] {
        let run = check_against_truth(scheme, Cyrus, key, protocol);
        let ep = run.at(matrix().port(Cyrus, key));
        // Cyrus offers only P-256 for the key exchange.
        assert_eq!(ep["tls"]["keyExchange"], "secp256r1", "{}", run.text);
        let key = ep["tls"]["chain"][0]["keyType"]
            .as_str()
            .unwrap_or_default();
        assert!(key.starts_with("EC"), "{}", run.text);
    }
}

#[test]
fn cyrus_cleartext_login_allowed_is_reported_and_tls_required_is_not() {
    let run = probe("imap", Cyrus, "IMAP");
    run.assert_finding("N204");
    let run = probe("imap", Cyrus, "IMAP_TLS_REQUIRED");
    let ep = run.at(matrix().port(Cyrus, "IMAP_TLS_REQUIRED"));
    assert_eq!(ep["auth"]["loginDisabledBeforeTls"], true, "{}", run.text);
    run.assert_no_finding("N204");
    let run = probe("pop3", Cyrus, "POP3_TLS_REQUIRED");
    run.assert_no_finding("N204");
}

#[test]
fn cyrus_pop3_login_delay_is_read() {
    let run = probe("pop3s", Cyrus, "POP3S");
    let ep = run.at(matrix().port(Cyrus, "POP3S"));
    assert_eq!(ep["pop3"]["loginDelay"], 60, "{}", run.text);
    assert_eq!(ep["pop3"]["expire"], "NEVER", "{}", run.text);
    assert_eq!(ep["pop3"]["uidl"], true);
    run.assert_finding("N404");
}

#[test]
fn courier_imap_and_pop3_match_the_truth() {
    for (scheme, key, protocol) in [
        ("imaps", "IMAPS", "imap"),
        ("imap", "IMAP", "imap"),
        ("pop3s", "POP3S", "pop3"),
        ("pop3", "POP3", "pop3"),
    ] {
        check_against_truth(scheme, Courier, key, protocol);
    }
}

/// CVE-2021-38084: Courier's POP3 STLS answers, inside TLS, a command sent together with STLS
/// (confirmed independently in the report with its own checker); Courier's IMAP is not affected
/// and must come out clean.
#[test]
fn courier_pop3_stls_injection_is_found_and_imap_is_clean() {
    let run = probe("pop3", Courier, "POP3");
    let ep = run.at(matrix().port(Courier, "POP3"));
    assert_eq!(
        ep["starttls"]["injection"]["result"], "vulnerable",
        "{}",
        run.text
    );
    run.assert_finding("N203");
    let run = probe("imap", Courier, "IMAP");
    let ep = run.at(matrix().port(Courier, "IMAP"));
    assert_eq!(
        ep["starttls"]["injection"]["result"], "notVulnerable",
        "{}",
        run.text
    );
    run.assert_no_finding("N203");
}

#[test]
fn courier_tls_required_and_no_tls_variants() {
    let run = probe("imap", Courier, "IMAP_TLS_REQUIRED");
    let ep = run.at(matrix().port(Courier, "IMAP_TLS_REQUIRED"));
    assert_eq!(ep["auth"]["loginDisabledBeforeTls"], true, "{}", run.text);
    run.assert_no_finding("N204");
    let run = probe("imap", Courier, "IMAP_NO_STARTTLS");
    run.assert_finding("N201");
    run.assert_finding("N204");
    let run = probe("pop3", Courier, "POP3_NO_STLS");
    run.assert_finding("N201");
    run.assert_finding("N204");
}

#[test]
fn exim_submission_matches_the_truth() {
    for (scheme, key) in [("submission", "SUBMISSION"), ("submissions", "SUBMISSIONS")] {
        let run = check_against_truth(scheme, Exim, key, "smtp");
        let ep = run.at(matrix().port(Exim, key));
        assert_eq!(
            strings(&ep["auth"]["afterTls"]),
            ["PLAIN", "LOGIN"],
            "{}",
            run.text
        );
        assert_eq!(ep["smtp"]["size"], 52428800, "{}", run.text);
        if scheme == "submission" {
            assert_eq!(strings(&ep["auth"]["beforeTls"]), Vec::<String>::new());
            assert_eq!(ep["starttls"]["injection"]["result"], "notVulnerable");
        }
    }
}

#[test]
fn exim_auth_before_tls_is_reported() {
    let run = probe("submission", Exim, "AUTH_BEFORE_TLS");
    run.assert_finding("N204");
}

#[test]
fn discovery_by_address_finds_the_four_incoming_endpoints() {
    let m = matrix();
    let offset = m.get("RS_PORT_BASE").to_string();
    for product in [Cyrus, Courier] {
        let run = probe_args(
            &[
                product.addr(),
                "--tls-name",
                product.name(),
                "--standard-port-offset",
                &offset,
            ],
            None,
        );
        for key in ["IMAPS", "IMAP", "POP3S", "POP3"] {
            let ep = run.at(m.port(product, key));
            assert_eq!(ep["secure"], true, "{product:?} {key}\n{}", run.text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Right today: logins (one named endpoint each; never Cyrus POP3, which allows one login a minute)

#[test]
fn login_with_the_right_password_is_accepted_on_every_product() {
    let m = matrix();
    let (user, password) = (m.get("RS_USER"), m.get("RS_PASSWORD"));
    for (scheme, product, key) in [
        ("submission", Postfix, "SUBMISSION"),
        ("submissions", Postfix, "SUBMISSIONS"),
        ("imaps", Cyrus, "IMAPS"),
        ("imap", Cyrus, "IMAP"),
        ("imaps", Courier, "IMAPS"),
        ("pop3s", Courier, "POP3S"),
        // No AUTH=PLAIN after TLS: the IMAP LOGIN command.
        ("imap", Courier, "IMAP_LOGIN_ONLY"),
        ("submission", Exim, "SUBMISSION"),
        ("submissions", Exim, "SUBMISSIONS"),
        // AUTH LOGIN only.
        ("submission", Exim, "LOGIN_ONLY"),
    ] {
        let target = url(scheme, product, m.port(product, key));
        let run = probe_args(
            &[&target, "--tls-name", product.name(), "--login", user],
            Some(password),
        );
        let ep = run.at(m.port(product, key));
        assert_eq!(
            ep["login"]["result"], "accepted",
            "{product:?} {key}\n{}",
            run.text
        );
        assert!(
            !run.text.contains(password),
            "the password is in the output"
        );
    }
}

#[test]
fn login_with_a_wrong_password_is_rejected() {
    let m = matrix();
    let user = m.get("RS_USER");
    for (scheme, product, key) in [
        ("submissions", Postfix, "SUBMISSIONS"),
        ("imaps", Cyrus, "IMAPS"),
        ("submission", Exim, "LOGIN_ONLY"),
    ] {
        let target = url(scheme, product, m.port(product, key));
        let run = probe_args(
            &[&target, "--tls-name", product.name(), "--login", user],
            Some("not-the-password"),
        );
        assert_eq!(
            run.at(m.port(product, key))["login"]["result"],
            "rejected",
            "{}",
            run.text
        );
        run.assert_finding("N303");
    }
}

#[test]
fn no_login_where_the_password_would_travel_in_cleartext() {
    let m = matrix();
    for (scheme, product, key) in [
        ("smtp", Postfix, "NO_TLS"),
        ("imap", Courier, "IMAP_NO_STARTTLS"),
        ("submissions", Postfix, "WRONGNAME"),
    ] {
        let target = url(scheme, product, m.port(product, key));
        let run = probe_args(
            &[&target, "--tls-name", product.name(), "--login", "alice"],
            Some("alice-Secret-1"),
        );
        let login = &run.at(m.port(product, key))["login"];
        assert!(
            login.is_null() || login["result"] == "not-attempted",
            "{product:?} {key}\n{}",
            run.text
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The report's defects, as the correct behaviour.

/// `fixed` must be a setting `mailsetup check` accepts: never 993 + STARTTLS.
fn assert_fixed_passes_check(run: &Run) {
    let fixed = &run.json["fixed"];
    assert!(fixed.is_object(), "no fixed settings\n{}", run.text);
    let port = fixed["port"].to_string();
    let out = mailsetup(
        &[
            "check",
            "--protocol",
            fixed["protocol"].as_str().unwrap(),
            "--host",
            fixed["host"].as_str().unwrap(),
            "--port",
            &port,
            "--security",
            fixed["security"].as_str().unwrap(),
            "--json",
        ],
        None,
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(
        report["verdict"], "error",
        "`fixed` {fixed} fails mailsetup check: {report}\n{}",
        run.text
    );
}

#[test]
fn d_h1_fixes_applied_together_still_pass_check() {
    let m = matrix();
    for (product, key, protocol) in [
        (Courier, "STD_IMAP", "imap"),
        (Cyrus, "STD_POP3", "pop3"),
        (Postfix, "STD_SUBMISSION", "smtp"),
        (Exim, "STD_SUBMISSION", "smtp"),
    ] {
        let target = format!("{}:{}", product.addr(), m.port(product, key));
        let run = probe_args(
            &[
                &target,
                "--protocol",
                protocol,
                "--security",
                "tls",
                "--tls-name",
                product.name(),
            ],
            None,
        );
        assert_fixed_passes_check(&run);
        // One finding says it, once.
        assert!(
            run.findings("N108").is_empty() || run.findings("N601").is_empty(),
            "N108 and N601 say the same thing twice\n{}",
            run.text
        );
    }
}

/// Failed logins in a product's log, counted by its own words.
fn failed_logins(product: Product) -> usize {
    let log = matrix().log(product);
    match product {
        Cyrus => log.matches("badlogin").count(),
        Courier => log.matches("LOGIN FAILED").count(),
        Postfix => log.matches("authentication failed").count(),
        Exim => log.matches("authenticator failed").count(),
    }
}

#[test]
fn d_h2_a_wrong_password_is_tried_once_per_protocol() {
    let m = matrix();
    let offset = m.get("RS_PORT_BASE").to_string();
    let before = failed_logins(Cyrus);
    let run = probe_args(
        &[
            Cyrus.addr(),
            "--tls-name",
            Cyrus.name(),
            "--standard-port-offset",
            &offset,
            "--login",
            m.get("RS_USER"),
        ],
        Some("not-the-password"),
    );
    std::thread::sleep(Duration::from_millis(500)); // the syslog sink writes asynchronously
    let failed = failed_logins(Cyrus) - before;
    assert!(
        failed <= 2,
        "{failed} failed logins for one probe of IMAP and POP3\n{}",
        run.text
    );
}

#[test]
fn d_h2_login_delay_is_not_a_wrong_password() {
    let m = matrix();
    let offset = m.get("RS_PORT_BASE").to_string();
    let run = probe_args(
        &[
            Cyrus.addr(),
            "--tls-name",
            Cyrus.name(),
            "--standard-port-offset",
            &offset,
            "--login",
            m.get("RS_USER2"),
        ],
        Some(m.get("RS_PASSWORD2")),
    );
    run.assert_no_finding("N303");
    for f in run.json["findings"].as_array().unwrap() {
        let text = f.to_string();
        assert!(
            !(text.contains("LOGIN-DELAY") && text.contains("password")),
            "LOGIN-DELAY reported as a password problem: {text}"
        );
    }
}

#[test]
fn d_h2_only_the_named_endpoint_logs_in() {
    let m = matrix();
    let target = format!("{}:{}", Postfix.addr(), m.port(Postfix, "NO_TLS"));
    let run = probe_args(
        &[
            &target,
            "--protocol",
            "smtp",
            "--security",
            "none",
            "--tls-name",
            Postfix.name(),
            "--login",
            m.get("RS_USER"),
        ],
        Some(m.get("RS_PASSWORD")),
    );
    let attempted: Vec<u64> = run
        .endpoints()
        .iter()
        .filter(|e| e["login"].is_object() && e["login"]["result"] != "not-attempted")
        .map(|e| e["port"].as_u64().unwrap())
        .collect();
    assert!(
        attempted.len() <= 1,
        "logged in on {attempted:?} although only {target} was named\n{}",
        run.text
    );
}

#[test]
fn d_h3_self_signed_ca_certificate_is_named_and_trusted_from_its_ca_file() {
    let m = matrix();
    let own = m.pki("selfsigned-ca.crt");
    for (product, scheme, key) in [
        (Postfix, "submissions", "SELFSIGNED_CA"),
        (Cyrus, "imaps", "IMAPS_SELFSIGNED_CA"),
        (Courier, "imaps", "IMAPS_SELFSIGNED_CA"),
    ] {
        let port = m.port(product, key);
        // With the usual trust: a plain-words diagnosis, no Rust debug text.
        let run = probe(scheme, product, key);
        run.assert_finding("N103");
        assert!(!run.text.contains("CaUsedAsEndEntity"), "{}", run.text);
        assert!(!run.text.contains("Other("), "{}", run.text);
        assert!(
            run.text.to_lowercase().contains("self-signed"),
            "{}",
            run.text
        );
        // With that very certificate as the CA file: verified, as openssl does.
        assert_eq!(
            s_client(product, port, None, &["-CAfile", &own]).verify_code,
            0
        );
        let run = probe_with(scheme, product, key, &["--ca-file", &own]);
        assert_eq!(run.at(port)["tls"]["verified"], true, "{}", run.text);
    }
}

#[test]
fn d_m1_the_servers_own_words_when_starttls_fails() {
    let run = probe("imap", Courier, "IMAP_STARTTLS_BROKEN");
    assert!(run.text.contains("STARTTLS failed"), "{}", run.text);
    assert!(run.text.contains("tlscache"), "{}", run.text);
    assert!(!run.text.contains("InvalidContentType"), "{}", run.text);
}

#[test]
fn d_m2_missing_intermediate_is_named() {
    for (product, scheme, key) in [
        (Postfix, "submissions", "NOCHAIN"),
        (Cyrus, "imaps", "IMAPS_NOCHAIN"),
        (Courier, "imaps", "IMAPS_NOCHAIN"),
    ] {
        let port = matrix().port(product, key);
        assert_eq!(s_client(product, port, None, &[]).verify_code, 21);
        let run = probe(scheme, product, key);
        run.assert_finding("N103");
        let text = run.text.to_lowercase();
        assert!(text.contains("intermediate"), "{}", run.text);
        assert!(!text.contains("public ca"), "{}", run.text);
        assert!(!text.contains("self-signed"), "{}", run.text);
    }
}

#[test]
fn d_m3_tls12_without_ecdhe_aead_is_weak_not_broken() {
    for key in ["TLS12_CBC", "TLS12_DHE"] {
        let port = matrix().port(Postfix, key);
        let truth = s_client(Postfix, port, None, &[]);
        assert_eq!(truth.version, "TLSv1.2", "{truth:?}");
        let run = probe("submissions", Postfix, key);
        assert!(!run.text.contains("HandshakeFailure"), "{}", run.text);
        assert!(
            !run.text.contains("does not work with current clients"),
            "{}",
            run.text
        );
        // It names what the server offers (the suite openssl got) and why the probe cannot use it.
        assert!(
            run.text.contains(&truth.cipher) || run.text.contains("cipher"),
            "{}",
            run.text
        );
    }
}

#[test]
fn d_m4_user_refused_before_tls_is_not_a_cleartext_password() {
    let port = matrix().port(Courier, "POP3_TLS_REQUIRED");
    // The truth: USER is announced, and refused.
    let stream = TcpStream::connect((Courier.addr(), port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut w = stream.try_clone().unwrap();
    let mut r = BufReader::new(stream);
    let mut l = String::new();
    r.read_line(&mut l).unwrap();
    w.write_all(b"USER alice\r\n").unwrap();
    l.clear();
    r.read_line(&mut l).unwrap();
    assert!(l.starts_with("-ERR"), "{l}");
    let run = probe("pop3", Courier, "POP3_TLS_REQUIRED");
    run.assert_no_finding("N204");
}

#[test]
fn d_m4_cram_md5_is_not_a_cleartext_password() {
    for (scheme, product, key) in [
        ("imap", Cyrus, "IMAP"),
        ("pop3", Cyrus, "POP3"),
        ("submission", Postfix, "AUTH_BEFORE_TLS"),
    ] {
        let run = probe(scheme, product, key);
        for f in run.findings("N204") {
            assert!(
                !f["message"].as_str().unwrap().contains("CRAM-MD5"),
                "{product:?} {key}: {f}"
            );
        }
    }
}

#[test]
fn d_m5_a_slow_failed_login_is_not_a_rejected_password() {
    // Courier answers a wrong password after about 5 s; with 3 s the probe cannot know.
    let m = matrix();
    let target = url("imaps", Courier, m.port(Courier, "IMAPS"));
    let run = probe_args(
        &[
            &target,
            "--tls-name",
            Courier.name(),
            "--login",
            m.get("RS_USER"),
            "--timeout",
            "3",
        ],
        Some("not-the-password"),
    );
    assert_ne!(
        run.at(m.port(Courier, "IMAPS"))["login"]["result"],
        "rejected",
        "{}",
        run.text
    );
    run.assert_no_finding("N303");
}

#[test]
fn d_m6_legacy_tls_still_accepted_is_a_warning() {
    for (scheme, key) in [("submission", "SUBMISSION"), ("submissions", "LEGACY_TLS")] {
        let port = matrix().port(Postfix, key);
        let starttls = (scheme == "submission").then_some("smtp");
        let truth = s_client(
            Postfix,
            port,
            starttls,
            &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"],
        );
        assert_eq!(
            truth.version, "TLSv1",
            "the server accepts TLS 1.0: {truth:?}"
        );
        let run = probe(scheme, Postfix, key);
        let text = run.text.to_lowercase();
        assert!(
            run.json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["severity"] == "warning"
                    && f["message"].as_str().unwrap().contains("TLS 1.0")),
            "no warning about TLS 1.0 still accepted\n{text}"
        );
    }
}

#[test]
fn d_l1_a_failed_handshake_after_starttls_is_not_no_tls() {
    for (product, key) in [
        (Postfix, "TLS10_STARTTLS"),
        (Courier, "IMAP_STARTTLS_BROKEN"),
    ] {
        let scheme = if product == Postfix {
            "submission"
        } else {
            "imap"
        };
        let port = matrix().port(product, key);
        let run = probe(scheme, product, key);
        assert_ne!(run.at(port)["security"], "none", "{}", run.text);
        let target = url(scheme, product, port);
        let human = probe_human(&[&target, "--tls-name", product.name()]);
        assert!(!human.contains("no TLS"), "{human}");
    }
}

#[test]
fn d_l2_cn_without_san_says_so() {
    let target = url("submissions", Postfix, matrix().port(Postfix, "NOSAN"));
    let run = probe_args(&[&target, "--tls-name", "mail.probe.test"], None);
    run.assert_finding("N106");
    let msg = run.findings("N106")[0]["message"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(
        msg.contains("subjectaltname") || msg.contains("alternative name"),
        "{msg}"
    );
    assert!(!msg.contains("names no dns name"), "{msg}");
}

#[test]
fn d_l3_days_are_counted_in_words() {
    for key in ["EXPIRED", "NOTYETVALID"] {
        let target = url("submissions", Postfix, matrix().port(Postfix, key));
        let human = probe_human(&[&target, "--tls-name", Postfix.name()]);
        assert!(
            !human.contains("days left)") || !human.contains("(-"),
            "{human}"
        );
        let valid_line = human
            .lines()
            .find(|l| l.trim_start().starts_with("valid "))
            .unwrap_or_default();
        assert!(
            valid_line.contains("ago")
                || valid_line.contains("from now")
                || valid_line.contains("in "),
            "{human}"
        );
        assert!(!valid_line.contains("days left"), "{human}");
    }
}

#[test]
fn d_l4_bare_size_is_no_fixed_limit() {
    let run = probe("submission", Postfix, "SIZE_UNLIMITED");
    let ep = run.at(matrix().port(Postfix, "SIZE_UNLIMITED"));
    assert_ne!(ep["smtp"]["size"], 0, "{}", run.text);
    let target = url(
        "submission",
        Postfix,
        matrix().port(Postfix, "SIZE_UNLIMITED"),
    );
    let human = probe_human(&[&target, "--tls-name", Postfix.name()]);
    assert!(!human.contains("SIZE 0"), "{human}");
}

#[test]
fn d_l5_default_postfix_size_is_not_noise() {
    let run = probe("submission", Postfix, "EXPIRED_STARTTLS");
    assert!(run.findings("N501").len() <= 1, "{}", run.text);
    let run = probe("submission", Postfix, "SUBMISSION");
    run.assert_no_finding("N501");
}

#[test]
fn d_l6_cipher_suites_have_their_iana_names() {
    let run = probe("submissions", Postfix, "SUBMISSIONS");
    let cipher = &run.at(matrix().port(Postfix, "SUBMISSIONS"))["tls"]["cipherSuite"];
    assert_eq!(cipher, "TLS_AES_256_GCM_SHA384", "{}", run.text);
}

#[test]
fn d_l7_multiline_greeting_keeps_the_timeline_layout() {
    let target = url("smtp", Postfix, matrix().port(Postfix, "POSTSCREEN"));
    let human = probe_human(&[&target, "--tls-name", Postfix.name(), "--timeout", "15"]);
    assert!(
        !human
            .lines()
            .any(|l| l.starts_with("220 ") || l.starts_with("220-")),
        "a greeting line starts at column 0:\n{human}"
    );
}

#[test]
fn d_l8_login_command_after_tls_is_shown() {
    let run = probe("imap", Courier, "IMAP_LOGIN_ONLY");
    let after = strings(&run.at(matrix().port(Courier, "IMAP_LOGIN_ONLY"))["auth"]["afterTls"]);
    assert!(
        !after.is_empty(),
        "auth after TLS: none, while LOGIN works\n{}",
        run.text
    );
}

#[test]
fn d_l9_one_minute_is_singular() {
    let target = url("pop3s", Cyrus, matrix().port(Cyrus, "POP3S"));
    let human = probe_human(&[&target, "--tls-name", Cyrus.name()]);
    assert!(!human.contains("1 minutes"), "{human}");
}

/// A STARTTLS-stripping middlebox (what Cisco's "ESMTP inspection" does) in front of Postfix's
/// submission port: a small peer, because no real server produces the fault. `hide` masks
/// STARTTLS in the EHLO answer as XXXXXXXA; `block` also rewrites the client's STARTTLS command.
fn middlebox(block: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.26:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let upstream = (Postfix.addr(), matrix().port(Postfix, "SUBMISSION"));
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(upstream) else {
                continue;
            };
            let pipe = |mut from: TcpStream, mut to: TcpStream, rewrite: bool| {
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16384];
                    let mut cleartext = true;
                    while let Ok(n) = from.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        let chunk = &mut buf[..n];
                        if cleartext && rewrite {
                            for i in 0..n.saturating_sub(7) {
                                if chunk[i..i + 8].eq_ignore_ascii_case(b"STARTTLS") {
                                    chunk[i..i + 8].copy_from_slice(b"XXXXXXXA");
                                }
                            }
                        }
                        // A TLS record (0x16) ends the cleartext part.
                        if chunk[0] == 0x16 {
                            cleartext = false;
                        }
                        if to.write_all(chunk).is_err() {
                            break;
                        }
                    }
                    let _ = to.shutdown(std::net::Shutdown::Both);
                });
            };
            pipe(
                server.try_clone().unwrap(),
                client.try_clone().unwrap(),
                true,
            );
            pipe(client, server, block);
        }
    });
    port
}

#[test]
fn d_l10_hidden_starttls_is_still_tested_for_injection() {
    let port = middlebox(false);
    let target = format!("submission://127.0.0.26:{port}");
    let run = probe_args(&[&target, "--tls-name", Postfix.name()], None);
    run.assert_finding("N205");
    assert_eq!(
        run.at(port)["starttls"]["injection"]["result"],
        "notVulnerable",
        "{}",
        run.text
    );
}

#[test]
fn d_l11_masked_starttls_names_the_middlebox() {
    let port = middlebox(true);
    let target = format!("submission://127.0.0.26:{port}");
    let run = probe_args(&[&target, "--tls-name", Postfix.name()], None);
    run.assert_finding("N201");
    let msg = run.findings("N201")[0].to_string().to_lowercase();
    assert!(
        msg.contains("middlebox") || msg.contains("firewall"),
        "{msg}"
    );
}

#[test]
fn d_l12_unknown_security_waits_for_the_greeting_first() {
    let m = matrix();
    let port = m.port(Postfix, "POSTSCREEN");
    let before = m.log(Postfix).matches("PREGREET").count();
    let target = format!("{}:{port}", Postfix.addr());
    let run = probe_args(
        &[
            &target,
            "--protocol",
            "smtp",
            "--tls-name",
            Postfix.name(),
            "--timeout",
            "15",
        ],
        None,
    );
    std::thread::sleep(Duration::from_millis(300));
    let after = m.log(Postfix).matches("PREGREET").count();
    assert_eq!(
        after, before,
        "postscreen saw a pregreeting client\n{}",
        run.text
    );
}

#[test]
fn d_l13_cosmetics() {
    // The logout row has a detail for Cyrus POP3 (which answers QUIT with a bare "+OK").
    let run = probe("pop3s", Cyrus, "POP3S");
    let logout = run.at(matrix().port(Cyrus, "POP3S"))["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "logout")
        .cloned()
        .unwrap_or_default();
    assert_ne!(logout["detail"], "", "{}", run.text);
    // "none + LOGIN command" reads as no login at all.
    let target = url("imap", Courier, matrix().port(Courier, "IMAP"));
    let human = probe_human(&[&target, "--tls-name", Courier.name()]);
    assert!(!human.contains("none + LOGIN"), "{human}");
    // A numeric TLS alert.
    let target = url("submissions", Postfix, matrix().port(Postfix, "TLS12_CBC"));
    let human = probe_human(&[&target, "--tls-name", Postfix.name()]);
    assert!(!human.contains("alert 70"), "{human}");
    // --email on an incoming-only probe adds no "no outgoing server" noise.
    let run = probe_with(
        "imaps",
        Courier,
        "IMAPS",
        &["--email", "alice@courier.probe.test"],
    );
    run.assert_no_finding("P106");
}

/// OpenSMTPD (whose TLS is broken on Debian 12) refuses a pipelined STARTTLS; the matrix has no
/// product that does, so a small peer plays that server: it refuses STARTTLS sent together with
/// another command, and answers the lone STARTTLS with a TLS alert.
#[test]
fn d_l14_a_refused_pipelined_starttls_is_kept() {
    let listener = TcpListener::bind("127.0.0.26:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                let _ = w.write_all(b"220 pipeline.probe.test ESMTP\r\n");
                let mut line = String::new();
                while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                    let cmd = line.trim().to_ascii_uppercase();
                    let pipelined = !r.buffer().is_empty();
                    let answer: &[u8] = if cmd.starts_with("EHLO") {
                        b"250-pipeline.probe.test\r\n250 STARTTLS\r\n"
                    } else if cmd == "STARTTLS" && pipelined {
                        b"500 5.5.1 Invalid command: Pipelining not supported\r\n"
                    } else if cmd == "STARTTLS" {
                        let _ = w.write_all(b"220 2.0.0 Ready to start TLS\r\n");
                        // handshake_failure
                        let _ = w.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
                        break;
                    } else {
                        b"250 2.0.0 Ok\r\n"
                    };
                    if w.write_all(answer).is_err() {
                        break;
                    }
                    line.clear();
                }
            });
        }
    });
    let target = format!("submission://127.0.0.26:{port}");
    let run = probe_args(&[&target], None);
    let injection = &run.at(port)["starttls"]["injection"];
    assert_ne!(injection["result"], "inconclusive", "{}", run.text);
    assert!(
        run.text.contains("Pipelining not supported"),
        "{}",
        run.text
    );
}

// D-L15 (delayed-ACK stalls against Postfix and Cyrus) is a time budget: it lives in
// scripts/bench-probe.sh (probe vs openssl s_client on every server), not in a functional test.
