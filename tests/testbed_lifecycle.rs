//! The harness never leaves LocalStack behind: an instance started for an
//! owner process stops by itself when that process ends (even by SIGKILL), and
//! `scripts/testbed stop` stops exactly the instance on its port. The test bed
//! (an unauthenticated emulated AWS) listens on loopback only.

mod support;

use std::net::{Ipv4Addr, TcpStream};
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

/// The first IPv4 address of this machine outside 127.0.0.0/8, from
/// `hostname -I` (or `ip -4 -o addr` where `hostname` lacks `-I`).
fn non_loopback_ipv4() -> Option<Ipv4Addr> {
    let listings = [
        ("hostname", &["-I"][..]),
        ("ip", &["-4", "-o", "addr", "show"][..]),
    ];
    listings.iter().find_map(|(program, args)| {
        let out = Command::new(program).args(*args).output().ok()?;
        String::from_utf8_lossy(&out.stdout)
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter_map(|word| word.parse::<Ipv4Addr>().ok())
            .find(|ip| !ip.is_loopback() && !ip.is_unspecified() && !ip.is_broadcast())
    })
}

/// The local addresses (`address:port` as /proc/net/tcp{,6} write them, hex)
/// of the listening TCP sockets that process `pid` holds.
fn listening_addresses_of(pid: u32) -> Vec<String> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|fds| {
            fds.filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
                .filter_map(|target| {
                    let target = target.to_string_lossy().into_owned();
                    Some(
                        target
                            .strip_prefix("socket:[")?
                            .strip_suffix(']')?
                            .to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut listening = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for row in text.lines().skip(1) {
            let columns: Vec<&str> = row.split_whitespace().collect();
            // local_address is column 1, st column 3 (0A = LISTEN), inode column 9.
            if columns.len() > 9 && columns[3] == "0A" && inodes.iter().any(|i| i == columns[9]) {
                listening.push(columns[1].to_owned());
            }
        }
    }
    listening
}

#[test]
fn instance_listens_on_loopback_only() {
    let port = free_port();
    let me = std::process::id().to_string();
    run_script(&[
        "scripts/testbed",
        "start",
        "--port",
        &port.to_string(),
        "--owner-pid",
        &me,
    ]);
    let pid = pid_of_instance(port).expect("pid file of the instance");
    assert!(port_open(port), "the test bed answers on 127.0.0.1:{port}");

    // Every listening socket of LocalStack is on 127.0.0.1 (0100007F in
    // /proc's byte order) or ::1; none on 0.0.0.0 or another interface.
    let listening = listening_addresses_of(pid);
    let port_hex = format!(":{port:04X}");
    assert!(
        listening.iter().any(|a| a.ends_with(&port_hex)),
        "LocalStack (pid {pid}) holds no listening socket on port {port}: {listening:?}"
    );
    for address in &listening {
        assert!(
            address.starts_with("0100007F:")
                || address.starts_with("00000000000000000000000001000000:"),
            "LocalStack listens on {address} (hex, /proc/net/tcp form), not on loopback only"
        );
    }

    // And a connection to this machine's own non-loopback address is refused.
    match non_loopback_ipv4() {
        Some(ip) => {
            let reached =
                TcpStream::connect_timeout(&(ip, port).into(), Duration::from_secs(2)).is_ok();
            assert!(
                !reached,
                "the test bed accepted a connection on {ip}:{port}; it must listen on 127.0.0.1 only"
            );
        }
        None => eprintln!(
            "skipped the connection check: this machine has no non-loopback IPv4 address \
             (the /proc check above still ran)"
        ),
    }
    run_script(&["scripts/testbed", "stop", "--port", &port.to_string()]);
}
