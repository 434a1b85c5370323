"""Fault rules for the test bed: failing, slowing, and "IAM not yet propagated" switches.

Rules are added over HTTP (http_api.py) and consulted by the gateway handler
(gateway_handler.py) for every AWS request, and by the EKS handlers for the IAM
propagation mode. A rule matches one service and one operation (or `*`), applies to the next
`count` matching calls (-1: forever), and either adds latency, returns an error, or both.
"""

import itertools
import threading
from dataclasses import asdict, dataclass, field

# Status codes for error codes that are not in a service's model (or differ per protocol).
_DEFAULT_STATUS = {
    "ThrottlingException": 429,
    "Throttling": 400,
    "TooManyRequestsException": 429,
    "ServerException": 500,
    "ServiceFailure": 500,
    "InternalFailure": 500,
    "ServiceUnavailableException": 503,
    "ServiceUnavailable": 503,
}
_DEFAULT_MESSAGE = {
    "ThrottlingException": "Rate exceeded",
    "Throttling": "Rate exceeded",
    "ServerException": "An internal error occurred. Try again later.",
    "ServiceFailure": "An internal error occurred. Try again later.",
    "InternalFailure": "An internal error occurred.",
}
SERVICES = ("eks", "iam", "sts")


class FaultSpecError(ValueError):
    """A rule the API rejects (bad JSON shape or values)."""


@dataclass
class InjectedError:
    code: str
    message: str
    status: int


@dataclass
class FaultRule:
    id: int
    service: str
    operation: str
    count: int  # calls left; -1 = forever
    error: InjectedError | None = None
    latency_ms: int = 0
    hits: int = 0

    def matches(self, service: str, operation: str) -> bool:
        return (
            self.count != 0
            and self.service == service
            and self.operation in ("*", operation)
        )

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Decision:
    """What the gateway must do with one request."""

    latency_ms: int = 0
    error: InjectedError | None = None


@dataclass
class FaultRegistry:
    rules: list[FaultRule] = field(default_factory=list)
    iam_propagation_seconds: float = 0.0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, spec: dict, status_for_code=None) -> dict:
        """Add what a JSON spec describes; returns the JSON view of what was added."""
        if not isinstance(spec, dict):
            raise FaultSpecError("the body must be a JSON object")
        if "iam_propagation_seconds" in spec:
            seconds = spec["iam_propagation_seconds"]
            if not isinstance(seconds, (int, float)) or seconds < 0:
                raise FaultSpecError("iam_propagation_seconds must be a number >= 0")
            with self._lock:
                self.iam_propagation_seconds = float(seconds)
            return {"iam_propagation_seconds": float(seconds)}
        rule = self._parse_rule(spec, status_for_code)
        with self._lock:
            rule.id = next(self._ids)
            self.rules.append(rule)
        return rule.to_json()

    def _parse_rule(self, spec: dict, status_for_code) -> FaultRule:
        service = spec.get("service")
        if service not in SERVICES:
            raise FaultSpecError(f"service must be one of {', '.join(SERVICES)}")
        operation = spec.get("operation")
        if not isinstance(operation, str) or not operation:
            raise FaultSpecError("operation must be an operation name such as CreateAccessEntry, or *")
        count = spec.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or (count < 1 and count != -1):
            raise FaultSpecError("count must be a positive integer, or -1 for every call")
        latency_ms = spec.get("latency_ms", 0)
        if not isinstance(latency_ms, int) or isinstance(latency_ms, bool) or latency_ms < 0:
            raise FaultSpecError("latency_ms must be an integer >= 0")
        error = None
        if spec.get("error") is not None:
            raw = spec["error"]
            if isinstance(raw, str):
                raw = {"code": raw}
            if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not raw["code"]:
                raise FaultSpecError("error must be an object with at least a code")
            code = raw["code"]
            status = raw.get("status")
            if status is None:
                status = _DEFAULT_STATUS.get(code) or (status_for_code and status_for_code(service, code)) or 400
            if not isinstance(status, int) or not 400 <= status <= 599:
                raise FaultSpecError("error.status must be an HTTP error status (400-599)")
            message = raw.get("message") or _DEFAULT_MESSAGE.get(code) or f"Injected fault: {code}"
            error = InjectedError(code, str(message), status)
        if error is None and latency_ms == 0:
            raise FaultSpecError("a rule needs an error, a latency_ms, or both")
        return FaultRule(0, service, operation, count, error, latency_ms)

    def decide(self, service: str, operation: str) -> Decision:
        """Consume the matching rules for one call: all latencies add up, the first error wins."""
        decision = Decision()
        with self._lock:
            for rule in self.rules:
                if not rule.matches(service, operation):
                    continue
                if rule.error is not None and decision.error is not None:
                    continue  # this rule's error stays for a later call
                rule.hits += 1
                if rule.count > 0:
                    rule.count -= 1
                decision.latency_ms += rule.latency_ms
                if rule.error is not None:
                    decision.error = rule.error
        return decision

    def propagation_seconds(self) -> float:
        return self.iam_propagation_seconds

    def to_json(self) -> dict:
        with self._lock:
            return {
                "rules": [rule.to_json() for rule in self.rules],
                "iam_propagation_seconds": self.iam_propagation_seconds,
            }

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.iam_propagation_seconds = 0.0


def not_yet_propagated(age_seconds: float | None, registry: "FaultRegistry") -> bool:
    """True when IAM-propagation mode hides a principal that is only `age_seconds` old."""
    window = registry.propagation_seconds()
    return window > 0 and age_seconds is not None and age_seconds < window


FAULTS = FaultRegistry()
