//! Whether the CLI that started this provider process is destroying, and
//! whether it plans (so the static checks can wait for the plan).
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
//!
//! The same command line says whether the run plans (`plan`, `apply`,
//! `destroy`). Both CLIs then call `ValidateResourceTypeConfig` twice (in
//! the validate walk, and again in the plan walk just before
//! `PlanResourceChange`) and stop at the first walk with an error. A static
//! problem reported there would be shown two or three times, and would stop
//! the plan before any live check runs; so in a planning run the resources
//! report their static problems from `PlanResourceChange` only, once,
//! together with the live ones ([`plans`]). `terraform validate` (and any
//! run whose command line cannot be read) keeps them in validation.

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

/// Whether this process serves a run that plans (`plan`, `apply`,
/// `destroy`), where `PlanResourceChange` reports the static problems; read
/// once per process.
pub fn plans() -> bool {
    static PLANS: OnceLock<bool> = OnceLock::new();
    *PLANS.get_or_init(|| parent_args().is_some_and(|args| is_planning(&args)))
}

/// Whether a CLI command line (program first) runs a plan (`plan`, `apply`
/// or `destroy`, with any options).
pub fn is_planning(args: &[String]) -> bool {
    let mut rest = args.iter().skip(1).skip_while(|a| a.starts_with('-'));
    rest.next()
        .is_some_and(|command| matches!(command.as_str(), "plan" | "apply" | "destroy"))
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
