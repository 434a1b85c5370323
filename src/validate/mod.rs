//! Plan-time checks. `format` holds the static checks of the provider block
//! that no intent shares (endpoint URLs, durations; pure, no I/O; the name,
//! ARN and tag rules live once in `intent`); `live` the memoised IAM/EKS
//! look-ups that plan runs when live checks are on; `listings` the account and
//! cluster listings they share; `cache` the memo they share;
//! `federation` which principal roles cannot carry the MFA flag;
//! `region` the provider block's region (form, partition, known regions);
//! `suggest` the closest name to a typo;
//! `replaced` what a replacement knows of the prior objects it replaces.

pub mod association;
pub mod cache;
pub mod cluster;
pub mod cluster_access;
pub mod federation;
pub mod format;
pub mod listings;
pub mod live;
pub mod region;
pub mod replaced;
pub mod suggest;
pub mod workload_identity;

use crate::aws::AwsError;

/// A problem found by a live check, on the attribute it belongs to: the same
/// path-tagged shape as the intent's static problems, so the resource turns
/// both into diagnostics the same way.
pub type Problem = crate::intent::IntentError;

/// A failed look-up as a problem on `path`, its detail saying what to check.
pub fn aws_problem(path: &[&str], summary: &str, err: &AwsError) -> Problem {
    Problem::error(path, summary, err.detail())
}
