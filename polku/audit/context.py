"""Where the current request comes from, for the audit events it writes."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    """The client address, client and request id that audit events record."""

    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


# The default is frozen, so sharing it between contexts is safe.
current_request: ContextVar[RequestContext] = ContextVar(
    "polku_audit_request",
    default=RequestContext(),  # noqa: B039
)
