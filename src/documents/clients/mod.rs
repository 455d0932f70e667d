//! How the clients read an autoconfig file, step for step from their source: Thunderbird desktop
//! ([`thunderbird`], the reference the D rules follow; its unmodified code runs as the test
//! oracle in `js-tests/thunderbird/`) and Thunderbird for Android ([`android`], stricter, which
//! cannot run here and is followed from its source). Lint reports what each would refuse or skip.

pub(crate) mod android;
pub(crate) mod js;
pub(crate) mod thunderbird;
