"""Forms for meetings, invitations, agendas, documents and the calendar feed."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.actors.models import Body, Membership
from polku.meetings.choices import Attendance, InvitationResponse
from polku.meetings.models import AgendaItem, Invitation, Meeting
from polku.meetings.services.agenda import AgendaItemInput
from polku.meetings.services.agenda_links import subject_types
from polku.meetings.services.documents import DOCUMENT_MAX_BYTES
from polku.meetings.services.meetings import MeetingInput
from polku.voice.models import Challenge
from polku.voice.permissions import challenge_scope


class BodyChoiceField(forms.ModelChoiceField[Body]):
    def label_from_instance(self, obj: Body) -> str:
        return obj.display_name


class MeetingFilterForm(forms.Form):
    hide_optional = True

    q = forms.CharField(label=_("Search by title"), required=False, max_length=100)
    body = BodyChoiceField(
        label=_("Body"),
        required=False,
        queryset=Body.objects.none(),
        empty_label=_("All bodies"),
    )

    def __init__(self, *args: Any, bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = bodies


class MeetingForm(forms.Form):
    """Schedules a meeting (with its body) or changes one (without)."""

    body = BodyChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        empty_label=_("Choose a body"),
        error_messages={"required": _("Choose the body that meets.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the meeting a title.")},
    )
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of the meeting."),
            "invalid": _("Enter the date as a real date."),
        },
    )
    starts = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Local time, for example 09:30."),
        error_messages={
            "required": _("Enter the time the meeting starts."),
            "invalid": _("Enter the time as hours and minutes, for example 09:30."),
        },
    )
    ends = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter the time the meeting ends."),
            "invalid": _("Enter the time as hours and minutes, for example 11:30."),
        },
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("The address and room. Give a place, an online link, or both."),
    )
    online_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to the people taking part."),
        error_messages={"invalid": _("Enter the online link as a web address starting https://.")},
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    agenda_lead_days = forms.IntegerField(
        label=_("Send the agenda this many days before"),
        min_value=0,
        max_value=60,
        initial=7,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": _("Say how many days before the meeting the agenda goes out."),
            "invalid": _("Give the number of days as a whole number."),
            "min_value": _("Send the agenda between 0 and 60 days before."),
            "max_value": _("Send the agenda between 0 and 60 days before."),
        },
    )
    chatham_house = forms.BooleanField(
        label=_("The Chatham House rule applies"),
        required=False,
        help_text=_("The minutes attribute nothing said to named people or organisations."),
    )

    def __init__(self, *args: Any, bodies: QuerySet[Body] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is None:
            del self.fields["body"]
        else:
            field = self.fields["body"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = bodies

    @staticmethod
    def initial_from(meeting: Meeting) -> dict[str, Any]:
        start = timezone.localtime(meeting.starts_at)
        end = timezone.localtime(meeting.ends_at)
        return {
            "title": meeting.title,
            "day": start.date(),
            "starts": start.time(),
            "ends": end.time(),
            "location": meeting.location,
            "online_url": meeting.online_url,
            "description": meeting.description,
            "agenda_lead_days": meeting.agenda_lead_days,
            "chatham_house": meeting.chatham_house,
        }

    @staticmethod
    def _aware(day: date, moment: time) -> datetime:
        return timezone.make_aware(datetime.combine(day, moment))

    def to_input(self) -> MeetingInput:
        data = self.cleaned_data
        starts_at = self._aware(data["day"], data["starts"])
        ends_at = self._aware(data["day"], data["ends"])
        return MeetingInput(
            title=data["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            location=data["location"],
            online_url=data["online_url"],
            description=data["description"],
            chatham_house=data["chatham_house"],
            agenda_lead_days=data["agenda_lead_days"],
        )


# The service names the times; the form asks for a day and two times.
MEETING_FIELD_NAMES = {"starts_at": "starts", "ends_at": "ends"}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        error_messages={"required": _("Give the reason.")},
    )

    def __init__(self, *args: Any, label: Any = None, help_text: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (InvitationResponse.ACCEPTED, InvitationResponse.ACCEPTED.label),
            (InvitationResponse.DECLINED, InvitationResponse.DECLINED.label),
        ],
        error_messages={"required": _("Say whether you are coming.")},
    )


class MembershipChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user} — {obj.organisation.display_name}"


class InviteForm(forms.Form):
    membership = MembershipChoiceField(
        label=_("Person and the organisation they represent"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("Someone who is not a member of the body comes as a guest."),
        error_messages={"required": _("Choose the person to invite.")},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Membership.objects.filter(
                is_active=True, organisation__is_active=True, user__is_active=True
            )
            .exclude(
                # One subquery, so that both conditions hold of the same invitation.
                user__in=Invitation.objects.filter(
                    meeting=meeting, withdrawn_at__isnull=True
                ).values("user")
            )
            .select_related("user", "organisation")
            .order_by("user__last_name", "user__first_name", "organisation__name", "pk")
        )


class AttendanceForm(forms.Form):
    """One choice per invitee, named after the invitation."""

    def __init__(self, *args: Any, invitations: list[Invitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            initial = invitation.attendance
            if initial == Attendance.UNKNOWN and invitation.response == InvitationResponse.DECLINED:
                initial = Attendance.APOLOGIES
            self.fields[f"attendance_{invitation.pk}"] = forms.ChoiceField(
                label=f"{invitation.user} ({invitation.organisation.display_name})",
                choices=Attendance.choices,
                initial=initial,
            )

    def attendance(self) -> dict[int, str]:
        return {
            invitation.pk: self.cleaned_data[f"attendance_{invitation.pk}"]
            for invitation in self.invitations
        }


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a file to upload."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file's name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG or JPEG, up to %(limit)s."
        ) % {"limit": filesizeformat(DOCUMENT_MAX_BYTES)}


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the item a title.")}
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    duration_minutes = forms.IntegerField(
        label=_("Time (minutes)"),
        required=False,
        min_value=1,
        max_value=480,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "invalid": _("Give the time in minutes, from 1 to 480."),
            "min_value": _("Give the time in minutes, from 1 to 480."),
            "max_value": _("Give the time in minutes, from 1 to 480."),
        },
    )
    challenge = forms.CharField(
        label=_("Challenge"),
        required=False,
        max_length=40,
        help_text=_("The reference of a challenge this item is about, for example CH-2026-K7Q2X."),
    )
    subject_type = forms.ChoiceField(label=_("Also about"), required=False, choices=[])
    subject_id = forms.CharField(
        label=_("Its number"),
        required=False,
        max_length=64,
        help_text=_("The number shown on its page."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.subject_types = {str(kind.pk): kind for kind in subject_types()}
        subject = self.fields["subject_type"]
        assert isinstance(subject, forms.ChoiceField)
        subject.choices = [
            ("", _("Nothing else")),
            *[
                (pk, str(kind.model_class()._meta.verbose_name).capitalize())  # type: ignore[union-attr]
                for pk, kind in self.subject_types.items()
            ],
        ]

    @staticmethod
    def initial_from(item: AgendaItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "description": item.description,
            "duration_minutes": item.duration_minutes,
            "challenge": item.challenge.reference if item.challenge else "",
            "subject_type": str(item.subject_type_id or ""),
            "subject_id": item.subject_id,
        }

    def clean_challenge(self) -> Challenge | None:
        reference = self.cleaned_data["challenge"].strip()
        if not reference:
            return None
        found = challenge_scope(self.user).filter(reference__iexact=reference).first()
        if found is None:
            raise forms.ValidationError(_("No challenge you can see has this reference."))
        return found

    def to_input(self) -> AgendaItemInput:
        data = self.cleaned_data
        return AgendaItemInput(
            title=data["title"],
            description=data["description"],
            duration_minutes=data["duration_minutes"],
            challenge=data["challenge"],
            subject_type=self.subject_types.get(data["subject_type"] or ""),
            subject_id=data["subject_id"],
        )
