"""The audit log's filter form."""

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from polku.audit.models import AuditEvent
from polku.audit.selectors import EventFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AuditEventFilterForm(forms.Form):
    """Narrows the log by action, kind, person, object and date; every field is optional."""

    hide_optional = True

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Action, person, object or request id"),
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Or its beginning, such as actors."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *AuditEvent.Kind.choices],
    )
    actor = forms.CharField(label=_("Who (user name)"), required=False, max_length=150)
    target_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        help_text=_("Such as actors.organisation"),
    )
    target_id = forms.CharField(
        label=_("Object id"), required=False, max_length=64, widget=forms.HiddenInput
    )
    # Bounded so that the day after the end date, and the start of the first day, exist.
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        validators=[MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9998, 12, 31))],
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        validators=[MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9998, 12, 31))],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to", _("The end date must be the same as or after the start date.")
            )
        return cleaned

    def filters(self) -> EventFilters:
        """The filters to apply; call after is_valid()."""
        data = self.cleaned_data
        return EventFilters(
            search=data.get("q", "").strip(),
            action=data.get("action", "").strip(),
            kind=data.get("kind", ""),
            actor=data.get("actor", "").strip(),
            target_type=data.get("target_type", "").strip().lower(),
            target_id=data.get("target_id", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
