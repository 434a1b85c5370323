"""maxResults/nextToken paging over sorted keys, with opaque tokens that survive deletions."""

import base64
import binascii
import json

from .errors import InvalidParameterException

DEFAULT_PAGE_SIZE = 100


def _encode(last_key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_key}).encode()).decode()


def _decode(token: str) -> str:
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidParameterException("The nextToken provided in the request is not valid.")


def paginate(items: dict, request: dict) -> tuple[list, str | None]:
    """Return one page of `items` (a dict keyed by a sortable key) and the next token, if any.

    The model's maxResults bounds are checked before this runs (validation.check_request).
    """
    keys = sorted(items)
    token = request.get("nextToken")
    if token:
        after = _decode(token)
        keys = [key for key in keys if key > after]
    size = request.get("maxResults") or DEFAULT_PAGE_SIZE
    page = keys[:size]
    next_token = _encode(page[-1]) if len(keys) > size else None
    return [items[key] for key in page], next_token
