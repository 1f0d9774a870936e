//! What a check of a note or a redemption reports: each check by name, passed, failed or not
//! checked, with the numbers that decided it.

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    /// It holds.
    Passed,
    /// It does not hold: the contract would refuse, or the data contradicts itself.
    Failed,
    /// It could not be judged from what was given (the detail says what is missing), or it is
    /// a condition on the transaction that nothing here sees.
    NotChecked,
}

impl CheckStatus {
    /// `"passed"`, `"failed"` or `"notChecked"`: the stable names of the JS reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Passed => "passed",
            CheckStatus::Failed => "failed",
            CheckStatus::NotChecked => "notChecked",
        }
    }
}

/// One named check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Check {
    /// The check's stable name (`"issuerSignature"`, `"trackerNft"`, …), listed in
    /// `docs/NOTES.md`.
    pub name: &'static str,
    /// How it came out.
    pub status: CheckStatus,
    /// What decided it, with the numbers; for a condition of the contract, the line of
    /// `basis.es` it follows.
    pub detail: String,
}

impl Check {
    pub(crate) fn new(name: &'static str, status: CheckStatus, detail: impl Into<String>) -> Check {
        Check {
            name,
            status,
            detail: detail.into(),
        }
    }

    pub(crate) fn passed(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, CheckStatus::Passed, detail)
    }

    pub(crate) fn failed(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, CheckStatus::Failed, detail)
    }

    pub(crate) fn not_checked(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, CheckStatus::NotChecked, detail)
    }

    pub(crate) fn either(
        name: &'static str,
        holds: bool,
        passed: impl Into<String>,
        failed: impl Into<String>,
    ) -> Check {
        if holds {
            Check::passed(name, passed)
        } else {
            Check::failed(name, failed)
        }
    }
}

/// The check named `name` in `checks`.
pub(crate) fn find<'a>(checks: &'a [Check], name: &str) -> Option<&'a Check> {
    checks.iter().find(|check| check.name == name)
}
