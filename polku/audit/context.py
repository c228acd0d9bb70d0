"""Where the current request comes from, for the audit events it writes."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


current_request: ContextVar[RequestContext] = ContextVar(
    "polku_audit_request", default=RequestContext()
)
