//! Plan-time checks. `format` holds the static checks of names, ARNs and
//! durations (pure, no I/O); live look-ups against IAM/EKS build on them.

pub mod format;
