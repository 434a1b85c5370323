"""Per service and operation call counts, so tests can assert how many AWS calls were made."""

import threading
from collections import defaultdict


class CallCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def record(self, service: str, operation: str) -> None:
        with self._lock:
            self._counts[service][operation] += 1

    def to_json(self) -> dict:
        with self._lock:
            calls = {service: dict(ops) for service, ops in self._counts.items()}
        return {"calls": calls, "total": sum(sum(ops.values()) for ops in calls.values())}

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


CALLS = CallCounter()
