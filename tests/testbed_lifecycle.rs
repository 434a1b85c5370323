//! The harness never leaves LocalStack behind: an instance started for an
//! owner process stops by itself when that process ends (even by SIGKILL), and
//! `scripts/testbed stop` stops exactly the instance on its port.

mod support;

use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use support::{free_port, repo_root, run_script};

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

fn pid_of_instance(port: u16) -> Option<u32> {
    let path = repo_root().join(format!(".tools/testbed/{port}/localstack.pid"));
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

fn process_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn instance_stops_when_its_owner_dies_and_stop_is_exact() {
    // An owner process that we kill like a crashing test binary.
    let mut owner = Command::new("sleep")
        .arg("600")
        .spawn()
        .expect("spawn owner");
    let owned_port = free_port();
    let other_port = free_port();
    let owner_pid = owner.id().to_string();
    run_script(&[
        "scripts/testbed",
        "start",
        "--port",
        &owned_port.to_string(),
        "--owner-pid",
        &owner_pid,
    ]);
    let me = std::process::id().to_string();
    run_script(&[
        "scripts/testbed",
        "start",
        "--port",
        &other_port.to_string(),
        "--owner-pid",
        &me,
    ]);
    let owned_pid = pid_of_instance(owned_port).expect("pid file of the owned instance");
    assert!(port_open(owned_port) && port_open(other_port));

    owner.kill().expect("kill the owner");
    let _ = owner.wait();
    wait_until(
        "the owned instance has stopped",
        Duration::from_secs(30),
        || !port_open(owned_port) && !process_alive(owned_pid),
    );
    assert!(
        port_open(other_port),
        "only the dead owner's instance may stop"
    );

    let other_pid = pid_of_instance(other_port).expect("pid file of the other instance");
    run_script(&["scripts/testbed", "stop", "--port", &other_port.to_string()]);
    assert!(
        !port_open(other_port),
        "stop must free the port before returning"
    );
    assert!(
        !process_alive(other_pid),
        "stop must end the LocalStack process"
    );
    let status = Command::new("bash")
        .args([
            "scripts/testbed",
            "status",
            "--port",
            &other_port.to_string(),
        ])
        .current_dir(repo_root())
        .output()
        .expect("status");
    assert_eq!(
        status.status.code(),
        Some(3),
        "status of a stopped instance"
    );
}
