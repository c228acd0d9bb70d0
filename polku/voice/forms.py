"""Forms for raising, finding, joining and triaging challenges, and for the follow-up code."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.actors.choices import OrganisationKind
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.forms import CategoriesField, CategoryChoiceField
from polku.voice.choices import TRANSITIONS, ChallengeStatus, Urgency
from polku.voice.models import Challenge
from polku.voice.selectors import owner_choices
from polku.voice.services import ChallengeInput


def _with_blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ChallengeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_with_blank(
            [choice for choice in ChallengeStatus.choices if choice[0] != ChallengeStatus.DRAFT],
            _("Open and closed"),
        ),
    )
    sector = CategoryChoiceField(
        kind=TypologyKind.SECTOR, label=_("Sector"), required=False, empty_label=_("All sectors")
    )
    form = CategoryChoiceField(
        kind=TypologyKind.EXPLOITATION_FORM,
        label=_("Form of exploitation"),
        required=False,
        empty_label=_("All forms"),
    )
    region = CategoryChoiceField(
        kind=TypologyKind.REGION, label=_("Region"), required=False, empty_label=_("All regions")
    )


class ChallengeForm(forms.Form):
    """Everything a practitioner writes when raising a challenge."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("One line that names the problem, not a person or a case."),
    )
    description = forms.CharField(
        label=_("Describe the challenge"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What happens, how often you meet it and what it stops you from doing. Leave out "
            "names, phone numbers, e-mail addresses, identity codes, dates of birth and street "
            "addresses: the text is checked before it is submitted."
        ),
    )
    sectors = CategoriesField(kind=TypologyKind.SECTOR, label=_("Sectors concerned"))
    exploitation_forms = CategoriesField(
        kind=TypologyKind.EXPLOITATION_FORM, label=_("Forms of exploitation")
    )
    affected_groups = CategoriesField(kind=TypologyKind.AFFECTED_GROUP, label=_("Affected groups"))
    region = CategoryChoiceField(
        kind=TypologyKind.REGION,
        label=_("Region"),
        required=False,
        empty_label=_("Choose a region"),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Written in"), choices=settings.LANGUAGES, help_text=_("The language of the text.")
    )
    protected = forms.BooleanField(
        label=_("Raise it protected"),
        required=False,
        help_text=_(
            "No one, not the secretariat, administrators or anyone reading the database, will "
            "be able to tell that you raised it. You get a one-time code to read the answers. "
            "A protected challenge cannot be saved as a draft."
        ),
    )
    reveal_organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation to reveal (protected only)"),
        required=False,
        help_text=_("Shown to the secretariat. Leave empty to reveal nothing."),
    )
    reveal_region = CategoryChoiceField(
        kind=TypologyKind.REGION,
        label=_("Region to reveal (protected only)"),
        required=False,
        empty_label=_("Do not reveal"),
        help_text=_("In a small region, revealing both may narrow down who you are."),
    )

    def __init__(self, *args: Any, user: User, allow_protected: bool = True, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "language": (get_language() or "en")[:2],
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        if not allow_protected:
            for name in ("protected", "reveal_organisation_kind", "reveal_region"):
                del self.fields[name]
            return
        own_kinds = set(
            user.memberships.filter(is_active=True, organisation__is_active=True).values_list(
                "organisation__kind", flat=True
            )
        )
        reveal = self.fields["reveal_organisation_kind"]
        assert isinstance(reveal, forms.ChoiceField)
        reveal.choices = _with_blank(
            [choice for choice in OrganisationKind.choices if choice[0] in own_kinds],
            _("Do not reveal"),
        )

    @classmethod
    def initial_from(cls, challenge: Challenge) -> dict[str, Any]:
        categories = list(challenge.categories.select_related("typology"))

        def of_kind(kind: str) -> list[str]:
            return [category.code for category in categories if category.typology.kind == kind]

        return {
            "title": challenge.title,
            "description": challenge.description,
            "sectors": of_kind(TypologyKind.SECTOR),
            "exploitation_forms": of_kind(TypologyKind.EXPLOITATION_FORM),
            "affected_groups": of_kind(TypologyKind.AFFECTED_GROUP),
            "region": challenge.region.code if challenge.region else "",
            "urgency": challenge.urgency,
            "language": challenge.language,
        }

    def to_input(self) -> ChallengeInput:
        data = self.cleaned_data
        return ChallengeInput(
            title=data["title"],
            description=data["description"],
            region=data["region"],
            urgency=data["urgency"],
            language=data["language"],
            sectors=list(data["sectors"]),
            exploitation_forms=list(data["exploitation_forms"]),
            affected_groups=list(data["affected_groups"]),
        )


class EndorseForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where or how you meet this, in a sentence or two."),
    )
    sector = CategoryChoiceField(
        kind=TypologyKind.SECTOR,
        label=_("Your sector"),
        required=False,
        empty_label=_("Not given"),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class HideCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=500,
        help_text=_("Recorded and shown in place of the comment."),
    )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=[])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the timeline. Required when declining (the reason) and when reopening."
        ),
    )

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(challenge.status, frozenset())
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        # Answers have their own form, which records the answer text.
        field.choices = [
            (value, label)
            for value, label in ChallengeStatus.choices
            if value in allowed and value != ChallengeStatus.ANSWERED
        ]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Official answer"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The submitter and everyone following the challenge will read it."),
    )
    final = forms.BooleanField(
        label=_("This answer closes the challenge"), required=False, initial=True
    )


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owner_choices()


class FollowUpForm(forms.Form):
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=64,
        help_text=_("The code you were shown when you raised the challenge, e.g. 7KQ2-XM9A-…"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class FollowUpReplyForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    body = forms.CharField(
        label=_("Reply to the secretariat"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your reply is shown without your name."),
    )
