//! Apply: make AWS match a blueprint. Each function looks at what exists,
//! changes only what differs (no call that is not needed), runs independent
//! sub-object changes concurrently, and tolerates objects already gone.

pub mod access_entry;
pub mod pod_identity;
pub mod role;
