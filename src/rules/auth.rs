//! Rule family (see mod.rs).

use super::{Analysis, Findings};

pub(super) fn check(_a: &Analysis, _out: &mut Findings) {}
