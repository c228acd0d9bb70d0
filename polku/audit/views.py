"""Pages for the coordination to read and verify the audit log. Every read is itself logged."""

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from polku.accounts.models import User
from polku.audit import selectors
from polku.audit.forms import AuditEventFilterForm
from polku.audit.permissions import can_read_audit_log
from polku.audit.services import audit_access
from polku.core.pagination import paginate
from polku.core.permissions import is_insider


def _reader(request: HttpRequest) -> User:
    """The signed-in user, if the coordination; anyone else may not read the log (403)."""
    user = request.user
    if not isinstance(user, User) or not can_read_audit_log(user):
        raise PermissionDenied
    return user


@dataclass(frozen=True)
class ChangeRow:
    """One field of an event's before/after record, as shown side by side."""

    name: str
    before: str
    after: str
    changed: bool


def _shown(value: Any, present: bool) -> str:
    if not present:
        return "—"
    if value is None:
        return _("(empty)")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def change_rows(before: Any, after: Any) -> list[ChangeRow]:
    """Pairs up the before and after values of each field an event recorded."""
    if before is None and after is None:
        return []
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        old: dict[str, Any] = before or {}
        new: dict[str, Any] = after or {}
        names = list(old) + [name for name in new if name not in old]
        return [
            ChangeRow(
                name=name,
                before=_shown(old.get(name), name in old),
                after=_shown(new.get(name), name in new),
                changed=(name in old) != (name in new) or old.get(name) != new.get(name),
            )
            for name in names
        ]
    return [
        ChangeRow(
            name=_("value"),
            before=_shown(before, before is not None),
            after=_shown(after, after is not None),
            changed=before != after,
        )
    ]


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The log, newest first, filtered and paginated; the page read is itself recorded."""
    user = _reader(request)
    form = AuditEventFilterForm(request.GET or None)
    page_obj = None
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else selectors.EventFilters()
        page_obj = paginate(request, selectors.audit_event_list(user=user, filters=filters))
        audit_access(
            actor=user,
            action="audit.event.list",
            detail={
                "filters": filters.as_detail(),
                "page": page_obj.number,
                "events": [event.pk for event in page_obj],
            },
        )
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One event with its before and after values side by side, and its seal."""
    if not is_insider(request.user):
        raise Http404  # An outsider never learns that an event exists.
    user = _reader(request)
    event = selectors.audit_event_get(user=user, pk=pk)
    seal = selectors.audit_event_seal(event=event)
    audit_access(actor=user, action="audit.event.view", target=event)
    detail = event.detail if isinstance(event.detail, dict) else {"value": event.detail}
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "seal": seal,
            "changes": change_rows(event.before, event.after),
            "detail": [(key, _shown(value, True)) for key, value in detail.items()],
        },
    )


@login_required
@require_POST
def chain_verify(request: HttpRequest) -> HttpResponse:
    """Verifies the whole chain and shows the outcome as a message on the log."""
    user = _reader(request)
    result = selectors.chain_verify()
    audit_access(
        actor=user,
        action="audit.chain.verify",
        detail={
            "ok": result.ok,
            "verified": result.verified,
            "broken_event": result.broken.event_id if result.broken else None,
            "problem": str(result.broken.problem) if result.broken else "",
        },
    )
    if result.ok:
        messages.success(request, result.message())
    else:
        messages.error(request, result.message())
    return redirect("audit:event_list")
