//! Plan-time checks. `format` holds the static checks of names, ARNs and
//! durations (pure, no I/O); `live` the memoised IAM/EKS look-ups that plan
//! runs when live checks are on; `cache` the memo they share.

pub mod cache;
pub mod format;
pub mod live;
