//! Interrupting an apply the ways operations do: a TCP proxy between the
//! provider and the testbed whose connections the test cuts, a CLI run in
//! the background in its own process group (so the test can send it Ctrl-C
//! as a terminal would, to the whole group), and the provider process
//! behind it (so the test can SIGKILL it).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{testbed, Run, Workspace};

/// A TCP proxy on loopback in front of the testbed. [`cut`](Self::cut)
/// drops every open connection and stops accepting: to the provider, the
/// network is gone mid-request.
pub struct TcpProxy {
    pub port: u16,
    open: Arc<Mutex<Vec<TcpStream>>>,
    cut: Arc<AtomicBool>,
}

impl TcpProxy {
    pub fn start() -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let port = listener.local_addr().expect("proxy addr").port();
        let upstream = testbed().port;
        let open = Arc::new(Mutex::new(Vec::new()));
        let cut = Arc::new(AtomicBool::new(false));
        let (open2, cut2) = (open.clone(), cut.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if cut2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let mut tracked = open2.lock().unwrap_or_else(|p| p.into_inner());
                for s in [&client, &server] {
                    if let Ok(clone) = s.try_clone() {
                        tracked.push(clone);
                    }
                }
                drop(tracked);
                pipe(&client, &server);
                pipe(&server, &client);
            }
            // Dropping the listener here closes the port: new connections are refused.
        });
        TcpProxy { port, open, cut }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Cuts every connection and refuses new ones.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for s in self
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            let _ = s.shutdown(Shutdown::Both);
        }
        // Wake the accept loop so that it sees the flag and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies bytes from `from` to `to` on a thread of its own until either side closes.
fn pipe(from: &TcpStream, to: &TcpStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// A CLI command running in the background, in a process group of its own.
pub struct Background {
    child: Child,
    out: std::path::PathBuf,
    err: std::path::PathBuf,
}

impl Background {
    /// Starts `args` in `ws` (output to files, so a full pipe never blocks it).
    pub fn start(ws: &Workspace, args: &[&str]) -> Background {
        let out = ws.dir.path().join("background.out");
        let err = ws.dir.path().join("background.err");
        let child = ws
            .command(args)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).expect("stdout file"))
            .stderr(std::fs::File::create(&err).expect("stderr file"))
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?} {args:?}: {e}", ws.cli));
        Background { child, out, err }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ctrl-C in a terminal: SIGINT to the CLI's whole process group (the
    /// CLI and its provider processes).
    pub fn interrupt_group(&self) {
        signal(&format!("-{}", self.pid()), "INT");
    }

    /// SIGKILL to every provider process the CLI started (Terraform 1.0
    /// runs its work in a child of the process we started, so providers are
    /// looked for among all its descendants).
    pub fn kill_providers(&self) -> usize {
        let pids = descendants(self.pid(), "terraform-provider-eksrole");
        for pid in &pids {
            signal(&pid.to_string(), "KILL");
        }
        pids.len()
    }

    /// Waits for the CLI to exit (at most `limit`) and returns what it printed.
    pub fn wait(mut self, limit: Duration) -> Run {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the CLI") {
                return Run {
                    ok: status.success(),
                    code: status.code(),
                    stdout: std::fs::read_to_string(&self.out).unwrap_or_default(),
                    stderr: std::fs::read_to_string(&self.err).unwrap_or_default(),
                };
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!(
                    "the CLI did not exit within {limit:?}:\n{}\n{}",
                    std::fs::read_to_string(&self.out).unwrap_or_default(),
                    std::fs::read_to_string(&self.err).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Background {
    /// A test that failed half-way must not leave a CLI or provider behind
    /// that goes on changing AWS under the next test: SIGKILL the group.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .status();
            let _ = self.child.wait();
        }
    }
}

/// `kill -<signal> -- <target>` (a negative target names a process group).
fn signal(target: &str, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), "--", target])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name} {target} failed");
}

/// PIDs of the descendants of `root` whose command line contains `name`.
fn descendants(root: u32, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    // (pid, parent pid, command line) of every process.
    let processes: Vec<(u32, u32, String)> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // Fields after the parenthesised command: state, then the parent PID.
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse::<u32>()
                .ok()?;
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            Some((pid, ppid, String::from_utf8_lossy(&cmdline).into_owned()))
        })
        .collect();
    let mut family = vec![root];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(processes.iter().filter(|p| p.1 == parent).map(|p| p.0));
        i += 1;
    }
    processes
        .iter()
        .filter(|p| p.0 != root && family.contains(&p.0) && p.2.contains(name))
        .map(|p| p.0)
        .collect()
}

/// Polls `cond` every 100 ms until it holds; panics with `what` after `limit`.
pub fn wait_until(limit: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many `service`:`operation` calls the testbed received since its
/// call counter was last reset (counted on arrival, before any latency).
pub fn calls_received(service: &str, operation: &str) -> u64 {
    let url = format!("{}/_eksrole/calls", testbed().endpoint);
    let out = std::process::Command::new("curl")
        .args(["-sf", &url])
        .output()
        .expect("curl");
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    body["calls"][service][operation].as_u64().unwrap_or(0)
}

/// Resets the testbed's call counter.
pub fn reset_calls() {
    let url = format!("{}/_eksrole/calls", testbed().endpoint);
    let _ = std::process::Command::new("curl")
        .args(["-sf", "-X", "DELETE", &url])
        .output();
}
