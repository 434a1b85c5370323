"""Entry points LocalStack loads: the `eks:default` service provider and the start-up hook
that adds the test bed's routes (/_eksrole/...) and its request handler to the gateway."""

import logging

from localstack.runtime import hooks
from localstack.services.plugins import Service, aws_provider

LOG = logging.getLogger(__name__)


@aws_provider(api="eks")
def eks_default():
    from localstack.aws.skeleton import Skeleton
    from localstack.aws.spec import load_service

    from .provider import dispatch_table

    return Service(name="eks", skeleton=Skeleton(load_service("eks"), dispatch_table()))


@hooks.on_infra_start()
def install_testbed():
    from localstack.aws.handlers import serve_custom_service_request_handlers
    from localstack.services.edge import ROUTER

    from .gateway_handler import handle_request
    from .http_api import register_routes

    register_routes(ROUTER)
    serve_custom_service_request_handlers.append(handle_request)
    LOG.info("eksrole test bed: /_eksrole/faults and /_eksrole/calls ready")
