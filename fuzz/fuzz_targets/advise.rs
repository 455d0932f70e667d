//! Fuzzes the advisor: any bytes as a situation file (the command line's reading) give a
//! recommendation or a clear refusal, and the recommendation's JSON reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = mailsetup::decode(data, None) else {
        return;
    };
    match mailsetup::parse_situation_json(&text) {
        Ok(situation) => {
            let answer = mailsetup::advise(&situation);
            let json = serde_json::to_string(&answer).expect("a recommendation serializes");
            serde_json::from_str::<serde_json::Value>(&json).expect("and reads back");
            if let Some(account) = &answer.settings {
                // The settings it gives are settings the checker reads.
                let json = serde_json::to_string(account).expect("serializes");
                mailsetup::parse_settings_json(&json).expect("the advised settings read back");
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            assert!(!message.chars().any(mailsetup::text::is_hidden), "{message:?}");
        }
    }
});
