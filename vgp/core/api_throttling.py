"""The JSON API's answer when a rate limit or the admission guard refuses a call.

Every API door answers the same way: 429, ``Retry-After`` in seconds, and the body
``{"detail": <in the caller's language>, "retry_after": <the same seconds>}`` — the shape
nginx's own refusals copy (``deploy/nginx/vgp.conf``). An endpoint declares
``429: RetryOut`` in its responses and ``"429": too_many_requests_doc(...)`` in its
``openapi_extra``, so that OpenAPI shows the header and says what is limited.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.
"""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}


class RetryOut(Schema):
    detail: str
    retry_after: int = Field(description="Seconds to wait; also in the Retry-After header")


def too_many_requests(response: HttpResponse, retry_after: int) -> Status[dict[str, Any]]:
    """429 with ``Retry-After`` (at least one second) and the translated ``detail``."""
    seconds = max(1, int(retry_after))
    response["Retry-After"] = str(seconds)
    detail = _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": seconds}
    return Status(429, {"detail": detail, "retry_after": seconds})


def too_many_requests_doc(description: str) -> dict[str, Any]:
    """The 429 of an endpoint in OpenAPI: what is limited, the ``Retry-After`` header and the
    body (``RetryOut``, which the endpoint's ``response`` declares).

    The body is named here too because django-ninja does not merge an ``openapi_extra``
    response given under a string key ("429") into its own (429): the string key's object
    replaces it in the JSON, and a description alone would hide the schema.
    """
    return {
        "description": description,
        "headers": RETRY_AFTER_HEADER,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RetryOut"}}},
    }
