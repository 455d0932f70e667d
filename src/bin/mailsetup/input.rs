//! Reading an input file (or standard input for `-`) with a size cap, for every command.

use std::io::Read;
use std::path::Path;

/// Reads `path` (`-` is standard input) as UTF-8 text, refusing more than `cap` bytes without
/// reading it all. `what` names the kind of file in the message ("a settings file").
/// The error text does not repeat the file name; callers put it in front.
pub fn read_capped(path: &Path, cap: u64, what: &str) -> Result<String, String> {
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
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}
