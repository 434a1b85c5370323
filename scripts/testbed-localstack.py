"""LocalStack's own entry point, with its gateway bound to loopback only.

scripts/testbed starts LocalStack through this file. LocalStack's default gateway server
(twisted) ignores the host part of GATEWAY_LISTEN for IPv4 addresses: it creates its
listening endpoint without an interface, which means every interface (0.0.0.0). The test
bed is an unauthenticated emulated AWS, so it must be reachable from this machine only.
Here an IPv4 server endpoint created without an interface binds 127.0.0.1 instead; then
LocalStack's runtime starts unchanged. tests/testbed_lifecycle.rs checks the result.
"""

import runpy

from twisted.internet import endpoints

LOOPBACK = "127.0.0.1"


class LoopbackTCP4ServerEndpoint(endpoints.TCP4ServerEndpoint):
    """A TCP4ServerEndpoint whose default interface is loopback, not every interface."""

    def __init__(self, reactor, port, backlog=50, interface=""):
        super().__init__(reactor, port, backlog, interface or LOOPBACK)


# LocalStack looks the class up on the module at the time it listens.
endpoints.TCP4ServerEndpoint = LoopbackTCP4ServerEndpoint

runpy.run_module("localstack.runtime.main", run_name="__main__", alter_sys=True)
