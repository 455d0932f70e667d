//! Serves discovery's loopback fixtures (tests/discover_fixture/) for the browser test of the
//! page's lookup (e2e/discovery.test.mjs): the test zone's DNS server, and the HTTPS server with
//! the test CA, which also answers DNS-over-HTTPS for the page's default resolver.
//!
//! Prints one JSON line (`dns`, `https` port, `dohHost`, `caPem`), then serves until its standard
//! input closes (the test's end).
//!
//!     cargo run --example discover_fixture

#[path = "../tests/discover_fixture/mod.rs"]
mod discover_fixture;

use std::io::Read;

fn main() {
    let f = discover_fixture::start(discover_fixture::scenarios(), None);
    let info = serde_json::json!({
        "dns": f.dns.to_string(),
        "https": 443 + f.offset,
        "dohHost": discover_fixture::DOH_HOST,
        "caPem": f.ca_pem,
    });
    println!("{info}");
    // Serve until the test closes our standard input (or dies).
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
}
