"""Captures the client address of each request for the audit log."""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from polku.audit.context import RequestContext, current_request


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, looking through the trusted reverse proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so with N of them the client is the Nth entry from the right; entries
    further left were written by the client and prove nothing.
    """
    hops: int = settings.POLKU_TRUSTED_PROXY_HOPS
    if hops > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


class AuditContextMiddleware:
    """Makes the client address, client and a request id available to every audit event."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestContext(
                ip_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                request_id=uuid.uuid4().hex,
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
