"""Forms for recording actions, reporting their progress and reviewing them at a meeting."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.meetings.choices import ActionStatus
from polku.meetings.forms_minutes import MeetingChoiceField, date_field
from polku.meetings.models import ActionItem, Decision, Meeting
from polku.meetings.services.actions import (
    ACTION_TRANSITIONS,
    DESCRIPTION_MAX,
    NOTE_MAX,
    TITLE_MAX,
    ActionInput,
)


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class DecisionChoiceField(forms.ModelChoiceField[Decision]):
    def label_from_instance(self, obj: Decision) -> str:
        return str(obj)


class ActionForm(forms.Form):
    """What is to be done, by whom and by when."""

    title = forms.CharField(
        label=_("What is to be done"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Say what is to be done.")},
    )
    description = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decision = DecisionChoiceField(
        label=_("From the decision"),
        required=False,
        queryset=Decision.objects.none(),
        empty_label=_("Not from a recorded decision"),
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={"required": _("Choose who owns the action.")},
    )
    owner_organisation = OrganisationChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("The organisation the owner does this for."),
        error_messages={"required": _("Choose the organisation the owner acts for.")},
    )
    deputy = PersonChoiceField(
        label=_("Deputy"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("No deputy"),
        help_text=_("Someone who is reminded too and may report progress."),
    )
    due_on = date_field(
        _("Due on"),
        error_messages={
            "required": _("Give the due date."),
            "invalid": _("Enter a real date."),
        },
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        organisations: QuerySet[Organisation],
        decisions: QuerySet[Decision],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("owner", people),
            ("deputy", people),
            ("owner_organisation", organisations),
            ("decision", decisions),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        if not decisions.exists():
            del self.fields["decision"]

    @staticmethod
    def initial_from(action: ActionItem) -> dict[str, Any]:
        return {
            "title": action.title,
            "description": action.description,
            "decision": action.decision_id,
            "owner": action.owner_id,
            "owner_organisation": action.owner_organisation_id,
            "deputy": action.deputy_id,
            "due_on": action.due_on,
        }

    def to_input(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            title=data["title"],
            description=data["description"],
            decision=data.get("decision"),
            owner=data["owner"],
            owner_organisation=data["owner_organisation"],
            deputy=data["deputy"],
            due_on=data["due_on"],
        )


class ActionNoteForm(forms.Form):
    """A progress report, and the status it moves the action to."""

    text = forms.CharField(
        label=_("Progress"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has been done, and what comes next."),
        error_messages={"required": _("Say what has happened.")},
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[])

    def __init__(self, *args: Any, action: ActionItem, may_cancel: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [
            status
            for status in ActionStatus
            if status in ACTION_TRANSITIONS[action.status]
            and (may_cancel or ActionStatus.CANCELLED not in (status, action.status))
        ]
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Leave as “%(status)s”") % {"status": action.get_status_display()}),
            *[(status.value, status.label) for status in allowed],
        ]


class ReviewForm(forms.Form):
    """Which open actions a meeting of the body went through."""

    meeting = MeetingChoiceField(
        label=_("Reviewed at the meeting"),
        queryset=Meeting.objects.none(),
        empty_label=_("Choose the meeting"),
        error_messages={"required": _("Choose the meeting that reviewed the actions.")},
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions reviewed"),
        queryset=ActionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one action.")},
    )

    def __init__(
        self,
        *args: Any,
        meetings: QuerySet[Meeting],
        actions: QuerySet[ActionItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("meeting", meetings), ("actions", actions)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
