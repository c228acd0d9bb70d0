"""Forms for writing, circulating, commenting on, approving and publishing minutes, comparing
their versions, and recording and finding decisions."""

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from polku.meetings.choices import MinutesAudience
from polku.meetings.models import Meeting
from polku.meetings.services.minutes import COMMENT_MAX, NOTE_MAX, TEXT_MAX

# Bounded so that every date the forms accept is one the database and the calendar can hold.
DATE_BOUNDS = [MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9998, 12, 31))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    kwargs.setdefault("error_messages", {"invalid": _("Enter a real date.")})
    return forms.DateField(label=label, widget=DateInput(), validators=DATE_BOUNDS, **kwargs)


class MinutesForm(forms.Form):
    """The text of the minutes, and the version the writer started from."""

    text = forms.CharField(
        label=_("Minutes"),
        max_length=TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": _("Write the minutes.")},
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("A few words for the list of versions, such as “Comments from item 3”."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, chatham_house: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if chatham_house:
            self.fields["text"].help_text = _(
                "Chatham House rule: record what was said, never who said it. Name no invited "
                "person and no organisation they represent."
            )

    def use_version(self, number: int) -> None:
        """Makes the next save start from version `number`, keeping what was typed."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix("version")] = str(number)
        self.data = data


class CirculateForm(forms.Form):
    comment_deadline = date_field(
        _("Comments by"),
        help_text=_("Invitees are told now and may comment until the end of this day."),
        error_messages={
            "required": _("Give a deadline for comments."),
            "invalid": _("Enter a real date."),
        },
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say which item or passage you mean and what should change."),
        error_messages={"required": _("Write your comment.")},
    )


class MeetingChoiceField(forms.ModelChoiceField[Meeting]):
    """A meeting, named by its title and day."""

    def label_from_instance(self, obj: Meeting) -> str:
        day = formats.date_format(timezone.localtime(obj.starts_at), "SHORT_DATE_FORMAT")
        return f"{obj.title} ({day})"


class ApproveAtMeetingForm(forms.Form):
    """The later meeting of the body at which the minutes were approved."""

    at_meeting = MeetingChoiceField(
        label=_("Approved at the meeting"),
        queryset=Meeting.objects.none(),
        empty_label=_("Choose the meeting"),
        error_messages={"required": _("Choose the meeting that approved the minutes.")},
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["at_meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = meetings


class PublishForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Who may read the minutes"),
        choices=MinutesAudience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who may read the minutes.")},
    )


class DiffForm(forms.Form):
    """Which two versions to compare, and how to lay the comparison out."""

    hide_optional = True

    a = forms.TypedChoiceField(label=_("Compare version"), coerce=int, choices=[])
    b = forms.TypedChoiceField(label=_("with version"), coerce=int, choices=[])
    layout = forms.ChoiceField(
        label=_("Layout"),
        required=False,
        choices=[("side", _("Side by side")), ("unified", _("One column"))],
    )

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(number, _("Version %(number)s") % {"number": number}) for number in numbers]
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = choices


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the body decided, as it should read in the decisions log."),
        error_messages={"required": _("Write what was decided.")},
    )
    decided_on = date_field(
        _("Decided on"),
        error_messages={
            "required": _("Give the date of the decision."),
            "invalid": _("Enter a real date."),
        },
    )


class DecisionFilterForm(forms.Form):
    hide_optional = True

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    date_from = date_field(_("Decided from"), required=False)
    date_to = date_field(_("Decided until"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to", _("The end date must be the same as or after the start date.")
            )
        return cleaned
