//! Plan-time checks. `format` holds the static checks of the provider block
//! that no intent shares (endpoint URLs, durations; pure, no I/O; the name,
//! ARN and tag rules live once in `intent`); `live` the memoised IAM/EKS
//! look-ups that plan runs when live checks are on; `cache` the memo they share.

pub mod cache;
pub mod format;
pub mod live;
