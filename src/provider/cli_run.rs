//! Whether the CLI that started this provider process is destroying.
//!
//! Before a destroy, both CLIs (Terraform 1.0.3 and OpenTofu 1.6.2) run a
//! *normal* plan of the whole configuration to refresh the state, and stop
//! the destroy if that plan reports an error. Nothing in the plugin protocol
//! tells the provider that a plan is this refresh: a `PlanResourceChange`
//! looks the same as in `terraform plan`. Plan-time checks exist to guard
//! creating and changing, so a cluster deleted out of band, a break-glass
//! window that has ended, or a cluster name that only resolved at apply must
//! not keep the user from leaving. The one place that knows the command is
//! the CLI's own command line: the provider is its direct child (go-plugin
//! starts it), so the parent's arguments (plus `TF_CLI_ARGS` and
//! `TF_CLI_ARGS_<command>`, which the CLIs add to them) say whether this run
//! is `destroy`, `apply -destroy` or `plan -destroy`. When they cannot be
//! read, the run counts as not destroying: checks run as before.

use std::sync::OnceLock;

/// Whether this process serves a destroy run; read once per process.
pub fn destroying() -> bool {
    static DESTROYING: OnceLock<bool> = OnceLock::new();
    *DESTROYING.get_or_init(|| {
        let Some(args) = parent_args() else {
            return false;
        };
        let env = |name: &str| std::env::var(name).ok();
        is_destroy(&args, env)
    })
}

/// Whether a CLI command line (program first) runs a destroy; `env` reads
/// the environment the CLI saw (for `TF_CLI_ARGS*`).
pub fn is_destroy(args: &[String], env: impl Fn(&str) -> Option<String>) -> bool {
    // Global options such as `-chdir=DIR` come before the command.
    let mut rest = args.iter().skip(1).skip_while(|a| a.starts_with('-'));
    let Some(command) = rest.next() else {
        return false;
    };
    let extra: Vec<String> = ["TF_CLI_ARGS".to_owned(), format!("TF_CLI_ARGS_{command}")]
        .iter()
        .filter_map(|name| env(name))
        .flat_map(|v| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    match command.as_str() {
        "destroy" => true,
        "apply" | "plan" => rest.chain(extra.iter()).any(|a| {
            matches!(
                a.trim_start_matches('-'),
                "destroy" | "destroy=true" | "destroy=1"
            ) && a.starts_with('-')
        }),
        _ => false,
    }
}

/// The parent process's command line, when the platform lets us read it.
#[cfg(target_os = "linux")]
fn parent_args() -> Option<Vec<String>> {
    let ppid = std::os::unix::process::parent_id();
    let raw = std::fs::read(format!("/proc/{ppid}/cmdline")).ok()?;
    Some(
        raw.split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect(),
    )
}

/// The parent process's command line from `ps` (macOS and other Unixes have
/// no `/proc/<pid>/cmdline`); arguments are split on white space, which is
/// enough to find the command and `-destroy`.
#[cfg(all(unix, not(target_os = "linux")))]
fn parent_args() -> Option<Vec<String>> {
    let ppid = std::os::unix::process::parent_id();
    let out = std::process::Command::new("ps")
        .args(["-o", "args=", "-p", &ppid.to_string()])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.split_whitespace().map(str::to_owned).collect())
}

#[cfg(not(unix))]
fn parent_args() -> Option<Vec<String>> {
    None
}

#[cfg(test)]
mod tests;
