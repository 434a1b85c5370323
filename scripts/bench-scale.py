"""The scale benchmark behind scripts/bench-scale (run it through that script).

What it does, in order:
  1. starts its own test bed (scripts/testbed on a free loopback port, owned by this process,
     so the watchdog stops it however we end) and creates C clusters in it (authentication
     mode API, the Pod Identity agent add-on) plus one IAM role as the team principal;
  2. installs the provider binary through a filesystem mirror, as tests/support/mod.rs does;
  3. writes N eksrole_workload_identity (Pod Identity, one managed policy each, spread
     round-robin over the clusters) and ceil(N/10) eksrole_team_access (`view` on one
     namespace, the one principal), with for_each, the way users write them;
  4. runs the CLI: fresh `plan`, `apply`, no-change `plan`, `destroy`. Before each phase the
     test bed's call counter (/_eksrole/calls) is reset and after it read, so each phase's
     count is the AWS calls the provider processes made in that phase, by operation. Wall time
     is the CLI command's. Provider memory: a sampler reads VmHWM (the kernel's peak resident
     set) and CPU time of every terraform-provider-eksrole process the CLI started, every
     20 ms, and the test bed's CPU time before and after (where the wall time goes);
  5. after destroy, counts what is left (roles other than the principal, associations,
     access entries).

It prints a human table and, as its last line, one JSON object (also written to --out).
Setup calls (clusters, the principal role) and the checks after destroy are not counted:
the counter is reset right before each phase and read right after it.
"""

import argparse
import json
import math
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent
SOURCE = "registry.terraform.io/eksrole/eksrole"
POLICY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
VIEW = "view"
PRINCIPAL_ROLE = "bench-team-principal"
PHASES = ["plan_fresh", "apply", "plan_steady", "destroy"]
SAMPLE_SECONDS = 0.02


def log(message):
    print(f"bench-scale: {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/bench-scale", description=__doc__.split("\n")[0])
    parser.add_argument("--intents", type=int, default=200, help="workload identities (default 200)")
    parser.add_argument("--clusters", type=int, default=4, help="clusters (default 4)")
    parser.add_argument("--cli", choices=["tofu", "terraform"], default="tofu")
    parser.add_argument(
        "--provider",
        help="provider binary to measure (default: `cargo build --release --locked` and its output)",
    )
    parser.add_argument("--out", help="also write the JSON object to this file")
    parser.add_argument("--keep-workdir", action="store_true", help="leave the working directory")
    args = parser.parse_args(argv)
    if args.intents < 1 or args.clusters < 1:
        parser.error("--intents and --clusters must be at least 1")
    return args


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def provider_binary(args):
    if args.provider:
        path = pathlib.Path(args.provider).resolve()
        if not os.access(path, os.X_OK):
            sys.exit(f"bench-scale: {path} is not an executable")
        return path, "release" if "release" in path.parts else "debug" if "debug" in path.parts else "given"
    log("building the provider (cargo build --release --locked)")
    subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    return target / "release" / "terraform-provider-eksrole", "release"


def crate_version():
    text = (REPO / "Cargo.toml").read_text()
    match = re.search(r'^version = "([^"]+)"', text, re.M)
    if not match:
        sys.exit("bench-scale: no version in Cargo.toml")
    return match.group(1)


def cli_binary(name):
    path = REPO / ".tools" / "bin" / name
    if not os.access(path, os.X_OK):
        subprocess.run(["bash", str(REPO / "scripts" / "install-tools")], check=True)
    return path


class Testbed:
    """One test bed on a free port, owned by this process."""

    def __init__(self):
        self.port = free_port()
        out = subprocess.run(
            ["bash", str(REPO / "scripts" / "testbed"), "start", "--port", str(self.port),
             "--owner-pid", str(os.getpid())],
            check=True, stdout=subprocess.PIPE, text=True,
        ).stdout
        self.endpoint = out.strip().splitlines()[-1].strip()
        if not self.endpoint.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the test bed printed no endpoint: {out!r}")

    def cpu_seconds(self):
        """User + system CPU time of the LocalStack process so far."""
        pid = (REPO / ".tools" / "testbed" / str(self.port) / "localstack.pid").read_text().strip()
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        subprocess.run(["bash", str(REPO / "scripts" / "testbed"), "stop", "--port", str(self.port)],
                       stdout=subprocess.DEVNULL, check=False)

    def calls(self, method="GET"):
        request = urllib.request.Request(f"{self.endpoint}/_eksrole/calls", method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)


def aws_clients(endpoint):
    import boto3  # from the LocalStack venv scripts/bench-scale runs us with

    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    return session.client("eks", endpoint_url=endpoint), session.client("iam", endpoint_url=endpoint)


def create_fixtures(eks, iam, clusters):
    for name in clusters:
        eks.create_cluster(
            name=name,
            roleArn="arn:aws:iam::000000000000:role/eks-cluster",
            resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]},
            accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
        )
        eks.create_addon(clusterName=name, addonName="eks-pod-identity-agent")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
                       "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName=PRINCIPAL_ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    return role["Role"]["Arn"]


def team_count(intents):
    return math.ceil(intents / 10)


def configuration(endpoint, intents, clusters, principal_arn):
    """N workload identities and ceil(N/10) team accesses over the clusters, with for_each."""
    workloads = []
    for i in range(intents):
        cluster = clusters[i % len(clusters)]
        workloads.append(
            f'    "svc-{i:04d}" = {{ cluster = "{cluster}", namespace = "apps-{i % 10}", sa = "svc-{i:04d}" }}'
        )
    teams = []
    for j in range(team_count(intents)):
        cluster = clusters[j % len(clusters)]
        teams.append(f'    "team-{j:04d}" = {{ cluster = "{cluster}", namespace = "apps-{j % 10}" }}')
    workload_map = "\n".join(workloads)
    team_map = "\n".join(teams)
    return f"""terraform {{
  required_providers {{
    eksrole = {{ source = "{SOURCE}" }}
  }}
}}

provider "eksrole" {{
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"
  endpoints {{
    iam = "{endpoint}"
    sts = "{endpoint}"
    eks = "{endpoint}"
  }}
}}

locals {{
  workloads = {{
{workload_map}
  }}
  teams = {{
{team_map}
  }}
}}

resource "eksrole_workload_identity" "svc" {{
  for_each        = local.workloads
  cluster_name    = each.value.cluster
  namespace       = each.value.namespace
  service_account = each.value.sa
  policy_arns     = ["{POLICY}"]
}}

resource "eksrole_team_access" "team" {{
  for_each       = local.teams
  cluster_name   = each.value.cluster
  name           = each.key
  principal_arns = ["{principal_arn}"]
  access_level   = "{VIEW}"
  namespaces     = [each.value.namespace]
}}
"""


def write_mirror(workdir, binary, version):
    platform = workdir / "mirror" / SOURCE / version / "linux_amd64"
    platform.mkdir(parents=True)
    shutil.copy2(binary, platform / f"terraform-provider-eksrole_v{version}")
    config = workdir / "cli.tfrc"
    config.write_text(
        "provider_installation {\n  filesystem_mirror {\n"
        f'    path    = "{workdir / "mirror"}"\n    include = ["{SOURCE}"]\n  }}\n}}\n'
    )
    return config


def parent_pid(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("PPid:"))


class RssSampler:
    """Peak resident set (VmHWM) of every provider process the CLI started while sampling.

    Only descendants of the CLI process count: other provider processes on the machine
    (another checkout's tests, say) have the same name."""

    def __init__(self):
        self.peaks = {}  # (pid, start time) -> peak kB
        self.cpu = {}  # (pid, start time) -> user + system clock ticks, as last seen
        self._stop = threading.Event()
        self._thread = None
        self._root = None

    def start(self, root_pid):
        self.peaks = {}
        self.cpu = {}
        self._root = root_pid
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()
        return {
            "processes_seen": len(self.peaks),
            "peak_rss_mb": round(max(self.peaks.values(), default=0) / 1024, 1),
            "provider_cpu_seconds": round(sum(self.cpu.values()) / os.sysconf("SC_CLK_TCK"), 2),
        }

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_SECONDS)
        self.sample()

    def sample(self):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                    argv0 = f.read().split(b"\0", 1)[0]
                if not os.path.basename(argv0).startswith(b"terraform-provider-eksrole"):
                    continue
                if not self._descends_from_root(int(entry.name)):
                    continue
                with open(f"/proc/{entry.name}/stat") as f:
                    stat = f.read().rsplit(")", 1)[1].split()
                started, ticks = stat[19], int(stat[11]) + int(stat[12])
                with open(f"/proc/{entry.name}/status") as f:
                    hwm = next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), 0)
            except (OSError, ValueError, IndexError, StopIteration):
                continue  # the process ended between listing and reading
            key = (int(entry.name), started)  # a reused pid is another process
            self.peaks[key] = max(hwm, self.peaks.get(key, 0))
            self.cpu[key] = max(ticks, self.cpu.get(key, 0))

    def _descends_from_root(self, pid):
        for _ in range(8):
            pid = parent_pid(pid)
            if pid == self._root:
                return True
            if pid <= 1:
                return False
        return False


def flatten(counts):
    return {
        f"{service}.{operation}": n
        for service, operations in sorted(counts.get("calls", {}).items())
        for operation, n in sorted(operations.items())
    }


def run_phase(name, command, env, workdir, testbed, sampler, ok_codes):
    testbed.calls("DELETE")
    testbed_cpu = testbed.cpu_seconds()
    started = time.monotonic()
    run = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    sampler.start(run.pid)
    output, _ = run.communicate()
    seconds = round(time.monotonic() - started, 2)
    memory = sampler.stop()
    testbed_cpu = round(testbed.cpu_seconds() - testbed_cpu, 2)
    counts = testbed.calls()
    if run.returncode not in ok_codes:
        tail = "\n".join(output.splitlines()[-60:])
        raise RuntimeError(f"{name}: {' '.join(command[1:])} exited {run.returncode}:\n{tail}")
    log(f"{name}: {counts.get('total', 0)} calls, {seconds} s, peak RSS {memory['peak_rss_mb']} MB")
    return {
        "calls": counts.get("total", 0),
        "seconds": seconds,
        "exit_code": run.returncode,
        "by_operation": flatten(counts),
        "testbed_cpu_seconds": testbed_cpu,
        **memory,
    }


def leftovers(eks, iam, clusters):
    roles = [
        role["RoleName"]
        for page in iam.get_paginator("list_roles").paginate()
        for role in page["Roles"]
        if role["RoleName"] != PRINCIPAL_ROLE
    ]
    associations = sum(
        len(page["associations"])
        for name in clusters
        for page in eks.get_paginator("list_pod_identity_associations").paginate(clusterName=name)
    )
    entries = sum(
        len(page["accessEntries"])
        for name in clusters
        for page in eks.get_paginator("list_access_entries").paginate(clusterName=name)
    )
    return {"roles": len(roles), "associations": associations, "access_entries": entries}


def cli_version(cli, env):
    out = subprocess.run([str(cli), "version"], env=env, stdout=subprocess.PIPE, text=True).stdout
    return out.splitlines()[0].strip() if out else "unknown"


def git_commit():
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return out.stdout.strip() or "unknown"


def human_table(result):
    phases = result["phases"]
    resources = result["intents"] + result["team_accesses"]
    lines = [
        f"eksrole scale benchmark: {result['intents']} workload identities + {result['team_accesses']} "
        f"team accesses over {result['clusters']} clusters, {result['cli_version']}, "
        f"provider {result['provider_build']} @ {result['commit']}",
        "",
        f"{'phase':<12} {'AWS calls':>10} {'per resource':>13} {'seconds':>9} {'provider CPU s':>15} "
        f"{'test bed CPU s':>15} {'peak RSS MB':>12} {'processes':>10}",
    ]
    for phase in PHASES:
        p = phases[phase]
        lines.append(
            f"{phase:<12} {p['calls']:>10} {p['calls'] / resources:>13.2f} {p['seconds']:>9.2f} "
            f"{p['provider_cpu_seconds']:>15.2f} {p['testbed_cpu_seconds']:>15.2f} "
            f"{p['peak_rss_mb']:>12.1f} {p['processes_seen']:>10}"
        )
    operations = sorted({op for phase in PHASES for op in phases[phase]["by_operation"]})
    width = max([len("operation")] + [len(op) for op in operations])
    lines += ["", f"{'operation':<{width}} " + " ".join(f"{phase:>11}" for phase in PHASES)]
    for op in operations:
        lines.append(
            f"{op:<{width}} " + " ".join(f"{phases[phase]['by_operation'].get(op, 0):>11}" for phase in PHASES)
        )
    left = result["left_after_destroy"]
    lines += [
        "",
        f"left after destroy: {left['roles']} roles, {left['associations']} associations, "
        f"{left['access_entries']} access entries",
    ]
    return "\n".join(lines)


def main(argv):
    args = parse_args(argv)
    binary, build = provider_binary(args)
    cli = cli_binary(args.cli)
    version = crate_version()
    clusters = [f"bench-{i}" for i in range(args.clusters)]
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="eksrole-bench-"))
    testbed = None
    try:
        log(f"starting a test bed ({args.intents} intents, {args.clusters} clusters, {args.cli})")
        testbed = Testbed()
        eks, iam = aws_clients(testbed.endpoint)
        principal_arn = create_fixtures(eks, iam, clusters)
        config = write_mirror(workdir, binary, version)
        (workdir / "main.tf").write_text(configuration(testbed.endpoint, args.intents, clusters, principal_arn))
        env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("TF_", "AWS_"))  # no TF_LOG, profiles or real credentials
        }
        env.update({
            "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1", "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1", "AWS_EC2_METADATA_DISABLED": "true",
        })
        init = subprocess.run([str(cli), "init", "-input=false", "-no-color"], cwd=workdir, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if init.returncode != 0:
            raise RuntimeError(f"init failed:\n{init.stdout}")
        sampler = RssSampler()
        common = ["-input=false", "-no-color"]
        phases = {
            "plan_fresh": run_phase("plan_fresh",
                                    [str(cli), "plan", "-detailed-exitcode", "-out=fresh.tfplan", *common],
                                    env, workdir, testbed, sampler, {2}),
            # The saved plan, as a pipeline applies it: the count is the apply's own work
            # (the CLI still re-plans each resource during apply, which the provider serves).
            "apply": run_phase("apply", [str(cli), "apply", *common, "fresh.tfplan"],
                               env, workdir, testbed, sampler, {0}),
            "plan_steady": run_phase("plan_steady", [str(cli), "plan", "-detailed-exitcode", *common],
                                     env, workdir, testbed, sampler, {0, 2}),
            "destroy": run_phase("destroy", [str(cli), "destroy", "-auto-approve", *common],
                                 env, workdir, testbed, sampler, {0}),
        }
        left = leftovers(eks, iam, clusters)
        result = {
            "intents": args.intents,
            "clusters": args.clusters,
            "team_accesses": team_count(args.intents),
            "cli": args.cli,
            "cli_version": cli_version(cli, env),
            "provider_build": build,
            "commit": git_commit(),
            "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "phases": phases,
            "left_after_destroy": left,
        }
        print(human_table(result), flush=True)
        summary = {
            "intents": args.intents,
            "clusters": args.clusters,
            "team_accesses": result["team_accesses"],
            "cli": args.cli,
            "cli_version": result["cli_version"],
            "provider_build": build,
            "commit": result["commit"],
            "cpus": result["cpus"],
            "date": result["date"],
        }
        for phase in PHASES:
            summary[f"{phase}_calls"] = phases[phase]["calls"]
            summary[f"{phase}_seconds"] = phases[phase]["seconds"]
            summary[f"{phase}_peak_rss_mb"] = phases[phase]["peak_rss_mb"]
            summary[f"{phase}_processes_seen"] = phases[phase]["processes_seen"]
            summary[f"{phase}_provider_cpu_seconds"] = phases[phase]["provider_cpu_seconds"]
            summary[f"{phase}_testbed_cpu_seconds"] = phases[phase]["testbed_cpu_seconds"]
        summary["plan_steady_has_changes"] = phases["plan_steady"]["exit_code"] == 2
        summary["peak_rss_mb"] = max(phases[phase]["peak_rss_mb"] for phase in PHASES)
        summary["left_after_destroy"] = left
        summary["calls_by_operation"] = {phase: phases[phase]["by_operation"] for phase in PHASES}
        line = json.dumps(summary, separators=(",", ":"))
        if args.out:
            pathlib.Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
        print(line, flush=True)
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as error:
        log(f"error: {error}")
        return 1
    finally:
        if testbed is not None:
            testbed.stop()
        if args.keep_workdir:
            log(f"working directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
