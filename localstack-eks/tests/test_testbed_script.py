"""scripts/testbed itself: idempotent start, status, stop, a second instance, the watchdog."""

import subprocess
import time

from conftest import TESTBED, free_port, start_testbed, stop_testbed


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(TESTBED), *args], capture_output=True, text=True, timeout=120)


def test_start_on_a_running_port_is_a_no_op(testbed_port, endpoint):
    started = time.monotonic()
    assert start_testbed(testbed_port) == endpoint
    assert time.monotonic() - started < 5
    status = run("status", "--port", str(testbed_port))
    assert status.returncode == 0 and endpoint in status.stdout


def test_stop_and_status_when_nothing_runs():
    port = free_port()
    assert run("stop", "--port", str(port)).returncode == 0
    assert run("status", "--port", str(port)).returncode == 3


def test_watchdog_stops_the_instance_when_its_owner_dies(testbed_port):
    port = free_port()
    owner = subprocess.Popen(["sleep", "600"])
    try:
        url = start_testbed(port, owner_pid=owner.pid)
        assert url == f"http://127.0.0.1:{port}"
        assert run("status", "--port", str(testbed_port)).returncode == 0  # both run side by side
        owner.kill()
        owner.wait()
        deadline = time.monotonic() + 30
        while run("status", "--port", str(port)).returncode == 0:
            assert time.monotonic() < deadline, "the watchdog did not stop the test bed"
            time.sleep(0.5)
    finally:
        owner.kill()
        stop_testbed(port)
