"""The secretariat's inbox, taking challenges on, and merging duplicates."""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.core.http import signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.forms import CategoryChoiceField
from polku.voice import selectors
from polku.voice.choices import ChallengeStatus, Urgency
from polku.voice.permissions import can_triage
from polku.voice.selectors_inbox import (
    ALL,
    MINE,
    UNASSIGNED,
    DueState,
    InboxFilters,
    InboxSort,
    inbox_list,
    inbox_rows,
    inbox_summary,
    merge_candidate,
)
from polku.voice.services import triage
from polku.voice.services.common import check_personal_data

ASSIGN_LIMIT = 100


class InboxFilterForm(forms.Form):
    """The inbox's filters, search and sort, all optional."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    due = forms.ChoiceField(
        label=gettext_lazy("Response clock"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            (DueState.OVERDUE, gettext_lazy("Overdue")),
            (DueState.OVERDUE_ACKNOWLEDGEMENT, gettext_lazy("Acknowledgement overdue")),
            (DueState.OVERDUE_ANSWER, gettext_lazy("Answer overdue")),
            (DueState.DUE_THIS_WEEK, gettext_lazy("Due this week")),
        ],
    )
    sector = CategoryChoiceField(
        kind=TypologyKind.SECTOR,
        label=gettext_lazy("Sector"),
        required=False,
        empty_label=gettext_lazy("All sectors"),
    )
    form = CategoryChoiceField(
        kind=TypologyKind.EXPLOITATION_FORM,
        label=gettext_lazy("Form of exploitation"),
        required=False,
        empty_label=gettext_lazy("All forms"),
    )
    region = CategoryChoiceField(
        kind=TypologyKind.REGION,
        label=gettext_lazy("Region"),
        required=False,
        empty_label=gettext_lazy("All regions"),
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        required=False,
        choices=[("", gettext_lazy("Any urgency")), *Urgency.choices],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            (InboxSort.DUE, gettext_lazy("Due date, soonest first")),
            (InboxSort.NEWEST, gettext_lazy("Newest first")),
            (InboxSort.ENDORSED, gettext_lazy("Most endorsed first")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [
            choice
            for choice in ChallengeStatus.choices
            if choice[0] not in (ChallengeStatus.DRAFT, ChallengeStatus.MERGED)
        ]
        status_field = self.fields["status"]
        owner_field = self.fields["owner"]
        assert isinstance(status_field, forms.ChoiceField)
        assert isinstance(owner_field, forms.ChoiceField)
        status_field.choices = [
            ("", _("Open")),
            *statuses,
            (ALL, _("Open and closed")),
        ]
        owner_field.choices = [
            ("", _("Anyone or nobody")),
            (MINE, _("Mine")),
            (UNASSIGNED, _("Unassigned")),
            *((str(person.pk), str(person)) for person in selectors.owner_choices()),
        ]

    def to_filters(self) -> InboxFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return InboxFilters(
            search=data.get("q", ""),
            status=data.get("status", ""),
            owner=data.get("owner", ""),
            sector=data.get("sector"),
            exploitation_form=data.get("form"),
            region=data.get("region"),
            urgency=data.get("urgency", ""),
            due=data.get("due", ""),
            sort=data.get("sort") or InboxSort.DUE,
        )


class MergeForm(forms.Form):
    """The challenge that continues, named by its reference, and a note for the timeline."""

    into = forms.CharField(
        label=gettext_lazy("Reference of the challenge that continues"),
        help_text=gettext_lazy("For example CH-2026-K7Q2X. It is on the challenge's page."),
        max_length=20,
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the timeline"),
        help_text=gettext_lazy(
            "Everyone following either challenge can read it. Leave out personal data."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=triage.MERGE_NOTE_MAX,
    )


@insider_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Open challenges with their clocks, for the coordinator and the secretariat."""
    user = signed_in_user(request)
    require(can_triage(user))
    today = timezone.localdate()
    form = InboxFilterForm(request.GET or None)
    filters = form.to_filters()
    ordered = inbox_list(user=user, today=today, filters=filters)
    page_obj = paginate(request, ordered.values_list("pk", flat=True))
    return render(
        request,
        "voice/inbox.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": inbox_rows(ids=page_obj.object_list),
            "summary": inbox_summary(user=user, today=today),
            "today": today,
            "filtered": bool(form.is_bound and form.is_valid() and any(form.cleaned_data.values())),
            "overdue_url": "?due=" + DueState.OVERDUE,
            "due_this_week_url": "?due=" + DueState.DUE_THIS_WEEK,
        },
    )


@insider_required
@require_POST
def inbox_assign(request: HttpRequest) -> HttpResponse:
    """Makes the reader the owner of the chosen challenges (one row's button, or ticked rows)."""
    user = signed_in_user(request)
    require(can_triage(user))
    chosen = [request.POST["one"]] if request.POST.get("one") else request.POST.getlist("challenge")
    back = request.POST.get("next", "")
    target = back if back.startswith("?") else ""
    try:
        ids = [UUID(value) for value in chosen[:ASSIGN_LIMIT]]
    except ValueError:
        ids = []
    challenges = list(
        selectors.challenge_list(user=user).filter(pk__in=ids).order_by("submitted_on")
    )
    if not challenges:
        messages.error(request, _("Choose at least one challenge to take on."))
        return redirect(_inbox_url() + target)
    try:
        changed = triage.challenges_assign_to_self(actor=user, challenges=challenges)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "You are now the owner of %(count)d challenge.",
                "You are now the owner of %(count)d challenges.",
                changed,
            )
            % {"count": changed}
            if changed
            else _("You already own the chosen challenges."),
        )
    return redirect(_inbox_url() + target)


def _inbox_url() -> str:
    return reverse("voice:inbox")


@insider_required
@require_http_methods(["GET", "POST"])
def challenge_merge(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Merges this challenge into another: choose it by reference, confirm, merge."""
    user = signed_in_user(request)
    duplicate = selectors.challenge_get(user=user, pk=pk)
    require(can_triage(user))
    form = MergeForm(request.POST or None)
    context: dict[str, Any] = {"duplicate": duplicate, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "voice/inbox_merge.html", context, status=400 if form.errors else 200
        )
    into = merge_candidate(user=user, reference=form.cleaned_data["into"])
    if into is None:
        form.add_error("into", _("No challenge has that reference. Check it and try again."))
        return render(request, "voice/inbox_merge.html", context, status=400)
    note = form.cleaned_data["note"]
    try:
        if request.POST.get("confirm") != "yes":
            # Refusals are shown before the confirmation page, not after it.
            check_personal_data(note=note)
            triage.challenge_merge_check(duplicate=duplicate, into=into)
            context["into"] = into
            return render(request, "voice/inbox_merge_confirm.html", context)
        survivor = triage.challenge_merge(actor=user, duplicate=duplicate, into=into, note=note)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return render(request, "voice/inbox_merge.html", context, status=400)
    messages.success(
        request,
        _("%(duplicate)s was merged into %(reference)s.")
        % {"duplicate": duplicate.reference, "reference": survivor.reference},
    )
    return redirect(survivor)
