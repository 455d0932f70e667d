//! Reading an input file (or standard input for `-`) with a size cap, for every command, and
//! decoding it under the project's one byte-order-mark and encoding policy ([`mailsetup::decode`]).

use std::io::Read;
use std::path::Path;

/// Reads `path` (`-` is standard input) as text: UTF-8, or what its byte-order mark says
/// (UTF-16 from PowerShell, a UTF-8 BOM from Windows editors), refusing more than `cap` bytes
/// without reading it all. `what` names the kind of file in the message ("a settings file").
/// The error text does not repeat the file name; callers put it in front.
pub fn read_capped(path: &Path, cap: u64, what: &str) -> Result<String, String> {
    let bytes = read_bytes(path, cap, what)?;
    mailsetup::decode(&bytes, None).map_err(|e| e.to_string())
}

/// Reads `path` (`-` is standard input) as bytes, refusing more than `cap` bytes without reading
/// it all (for documents that say their own encoding).
pub fn read_bytes(path: &Path, cap: u64, what: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().take(cap + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .map_err(|e| format!("cannot open: {e}"))?
            .take(cap + 1)
            .read_to_end(&mut bytes)
    };
    read.map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > cap {
        return Err(format!("larger than {cap} bytes; that is not {what}"));
    }
    Ok(bytes)
}
