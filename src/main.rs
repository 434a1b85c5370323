//! The provider binary: everything happens in `plugin::run`, so start-up stays cheap.

fn main() -> std::process::ExitCode {
    eksrole::plugin::run(eksrole::provider::routes)
}
