"""The test bed's own HTTP endpoints on the LocalStack port: /_eksrole/faults and /_eksrole/calls.

    POST   /_eksrole/faults   add a rule (JSON body, see faults.py and docs/guides/testbed.md)
    GET    /_eksrole/faults   list rules and the IAM propagation window
    DELETE /_eksrole/faults   remove every rule and turn propagation mode off
    GET    /_eksrole/calls    AWS calls per service and operation since start or reset
    DELETE /_eksrole/calls    reset the counts
    DELETE /_eksrole/state    forget every emulated EKS object (IAM is LocalStack's own)
"""

import json

from localstack.http import Request, Response

from . import store
from .calls import CALLS
from .faults import FAULTS, FaultSpecError


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _status_for_code(service: str, code: str) -> int | None:
    """The HTTP status the service's model gives an error code, if it names it."""
    from localstack.aws.spec import load_service

    model = load_service(service)
    for shape in model.error_shapes:
        error = shape.metadata.get("error", {})
        if error.get("code", shape.name) == code or shape.name == code:
            return error.get("httpStatusCode")
    return None


def faults_endpoint(request: Request, **_kwargs) -> Response:
    if request.method == "GET":
        return _json(FAULTS.to_json())
    if request.method == "DELETE":
        FAULTS.clear()
        return _json(FAULTS.to_json())
    try:
        spec = json.loads(request.get_data() or b"null")
    except ValueError:
        return _json({"error": "the body must be JSON"}, 400)
    specs = spec if isinstance(spec, list) else [spec]
    try:
        added = [FAULTS.add(item, _status_for_code) for item in specs]
    except FaultSpecError as error:
        return _json({"error": str(error)}, 400)
    return _json({"added": added}, 201)


def calls_endpoint(request: Request, **_kwargs) -> Response:
    if request.method == "DELETE":
        CALLS.reset()
    return _json(CALLS.to_json())


def state_endpoint(request: Request, **_kwargs) -> Response:
    store.reset()
    return _json({"reset": True})


def register_routes(router) -> None:
    router.add("/_eksrole/faults", faults_endpoint, methods=["GET", "POST", "DELETE"])
    router.add("/_eksrole/calls", calls_endpoint, methods=["GET", "DELETE"])
    router.add("/_eksrole/state", state_endpoint, methods=["DELETE"])
