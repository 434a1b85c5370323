//! Acceptance-test harness: one LocalStack (with the project's EKS extension)
//! per test binary, the real `terraform` and `tofu` CLIs pointed at the
//! freshly built provider through a filesystem mirror, and temp workspaces.
//!
//! LocalStack is started through `scripts/testbed start --owner-pid <our pid>`,
//! so its watchdog stops it as soon as this test process ends, however it ends.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub const PROVIDER_SOURCE: &str = "registry.terraform.io/eksrole/eksrole";

/// The repository root.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a project script, panicking with its output if it fails.
pub fn run_script(args: &[&str]) -> String {
    let out = Command::new("bash")
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {args:?}: {e}"));
    assert!(
        out.status.success(),
        "{args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A free TCP port on loopback (the OS picks; a race with another process
/// grabbing it first is possible but the testbed then fails loudly).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local addr").port()
}

pub struct Testbed {
    pub port: u16,
    pub endpoint: String,
}

/// The LocalStack instance of this test binary, started on first use.
pub fn testbed() -> &'static Testbed {
    static TESTBED: OnceLock<Testbed> = OnceLock::new();
    TESTBED.get_or_init(|| {
        let port = free_port();
        let pid = std::process::id().to_string();
        let port_arg = port.to_string();
        let out = run_script(&[
            "scripts/testbed",
            "start",
            "--port",
            &port_arg,
            "--owner-pid",
            &pid,
        ]);
        let endpoint = out.lines().last().unwrap_or_default().trim().to_owned();
        assert!(
            endpoint.starts_with("http://127.0.0.1:"),
            "testbed printed no endpoint: {out}"
        );
        Testbed { port, endpoint }
    })
}

/// The two CLIs every acceptance test runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cli {
    Terraform,
    Tofu,
}

impl Cli {
    pub fn binary(self) -> PathBuf {
        ensure_tools();
        let name = match self {
            Cli::Terraform => "terraform",
            Cli::Tofu => "tofu",
        };
        repo_root().join(".tools/bin").join(name)
    }
}

fn ensure_tools() {
    static TOOLS: OnceLock<()> = OnceLock::new();
    TOOLS.get_or_init(|| {
        run_script(&["scripts/install-tools"]);
    });
}

/// A filesystem mirror holding the provider binary under test, and the CLI
/// config file that makes both CLIs install it from there (and nothing else).
fn cli_config_file() -> &'static Path {
    static CONFIG: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = CONFIG.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let version = env!("CARGO_PKG_VERSION");
        let platform = dir.path().join(format!("mirror/{PROVIDER_SOURCE}/{version}/linux_amd64"));
        std::fs::create_dir_all(&platform).expect("mirror dir");
        std::fs::copy(
            env!("CARGO_BIN_EXE_terraform-provider-eksrole"),
            platform.join(format!("terraform-provider-eksrole_v{version}")),
        )
        .expect("copy the provider into the mirror");
        let config = dir.path().join("cli.tfrc");
        let mirror = dir.path().join("mirror");
        std::fs::write(
            &config,
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_SOURCE}\"]\n  }}\n}}\n",
                mirror.display()
            ),
        )
        .expect("write CLI config");
        (dir, config)
    });
    path
}

/// The result of one CLI command.
pub struct Run {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(out: Output) -> Run {
        Run {
            ok: out.status.success(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Everything the CLI printed.
    pub fn text(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Everything the CLI printed with each run of whitespace as one space:
    /// the CLIs wrap a diagnostic's detail at their own width, so a phrase
    /// may span lines.
    pub fn flat_text(&self) -> String {
        self.text().split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// A temporary Terraform working directory driven by one CLI.
pub struct Workspace {
    pub cli: Cli,
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace whose `main.tf` is `config` with `PROVIDER` replaced by a
    /// provider block pointing at this binary's testbed.
    pub fn new(cli: Cli, config: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = Workspace { cli, dir };
        ws.write(config);
        ws
    }

    pub fn write(&self, config: &str) {
        let text = config.replace("PROVIDER", &provider_block(""));
        std::fs::write(self.dir.path().join("main.tf"), text).expect("write main.tf");
    }

    /// The CLI command for `args`, in this workspace, with no prompts.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(self.cli.binary());
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("TF_CLI_CONFIG_FILE", cli_config_file())
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("TF_LOG")
            .env_remove("AWS_PROFILE")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        command
    }

    /// Runs the CLI with `args`, in this workspace, with no colour or prompts.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// [`Workspace::run`] with extra environment variables (`TF_LOG`, …).
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = self
            .command(args)
            .envs(env.iter().copied())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", self.cli));
        Run::from(out)
    }

    /// Runs and asserts success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert!(run.ok, "{:?} {args:?} failed:\n{}", self.cli, run.text());
        run
    }

    pub fn init(&self) -> Run {
        self.ok(&["init", "-input=false", "-no-color"])
    }

    pub fn apply(&self) -> Run {
        self.ok(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    pub fn destroy(&self) -> Run {
        self.ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `plan -detailed-exitcode`: true when the plan has changes.
    pub fn plan_has_changes(&self) -> bool {
        let run = self.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
        match run.code {
            Some(0) => false,
            Some(2) => true,
            _ => panic!("{:?} plan failed:\n{}", self.cli, run.text()),
        }
    }

    /// Asserts that a plan shows no changes, printing the plan when it does.
    pub fn assert_no_changes(&self, why: &str) {
        let run = self.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
        assert_eq!(
            run.code,
            Some(0),
            "{why}; {:?} plan:\n{}",
            self.cli,
            run.text()
        );
    }

    /// After an import: applying changes no resource (outputs may be new,
    /// since `state rm` dropped them), and the next plan is empty.
    pub fn assert_import_clean(&self) {
        let run = self.apply();
        assert!(
            run.stdout.contains("0 added, 0 changed, 0 destroyed"),
            "applying right after import must change nothing:\n{}",
            run.stdout
        );
        self.assert_no_changes("plan must be empty after import");
    }

    /// The root module's outputs as JSON.
    pub fn outputs(&self) -> serde_json::Value {
        let run = self.ok(&["output", "-json", "-no-color"]);
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("output -json: {e}: {}", run.stdout))
    }
}

/// Plans `config`, which must fail with `summary` on the line `source_line`
/// (the CLI quotes the line an attribute path points at); then checks that
/// nothing was created.
pub fn assert_plan_fails(cli: Cli, config: &str, summary: &str, source_line: &str) {
    let ws = Workspace::new(cli, config);
    ws.init();
    let run = ws.run(&["plan", "-input=false", "-no-color"]);
    let text = run.text();
    assert!(!run.ok, "plan must fail:\n{text}");
    assert!(text.contains(summary), "expected {summary:?}:\n{text}");
    assert!(
        text.contains(source_line),
        "expected the diagnostic on {source_line:?}:\n{text}"
    );
    let state = ws.run(&["state", "list", "-no-color"]);
    assert!(
        !state.ok || state.stdout.trim().is_empty(),
        "nothing may be created:\n{}",
        state.stdout
    );
}

/// A provider block for the testbed; `extra` is inserted verbatim.
pub fn provider_block(extra: &str) -> String {
    provider_block_for(&testbed().endpoint, extra)
}

/// A provider block whose AWS endpoints are `endpoint` (the testbed, or a
/// proxy in front of it).
pub fn provider_block_for(endpoint: &str, extra: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    eksrole = {{ source = \"{PROVIDER_SOURCE}\" }}\n  }}\n}}\n\n\
         provider \"eksrole\" {{\n  region     = \"us-east-1\"\n  access_key = \"test\"\n  secret_key = \"test\"\n  \
         endpoints {{\n    iam = \"{endpoint}\"\n    sts = \"{endpoint}\"\n    eks = \"{endpoint}\"\n  }}\n{extra}}}\n"
    )
}

/// Generates one `#[test]` per CLI from a function taking the CLI.
#[macro_export]
macro_rules! both_clis {
    ($($name:ident),* $(,)?) => {
        mod terraform {
            $(#[test] fn $name() { super::$name($crate::support::Cli::Terraform) })*
        }
        mod tofu {
            $(#[test] fn $name() { super::$name($crate::support::Cli::Tofu) })*
        }
    };
}

pub mod fixtures;
pub mod interrupt;
pub mod inventory;
pub mod release;
