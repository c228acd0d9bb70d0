"""Forms for finding, writing, consulting on, approving and publishing guidelines."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.actors.models import Body, Organisation
from polku.core.permissions import AnyUser
from polku.guidelines.choices import Audience, GuidelineStatus, Response
from polku.guidelines.models import Comment, Guideline
from polku.guidelines.services import GuidelineInput
from polku.meetings.models import Decision
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.forms import CategoriesField, CategoryChoiceField
from polku.voice.models import Challenge
from polku.voice.permissions import challenge_scope

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_REFERENCE = re.compile(r"[A-Z]{2}-\d{4}-[A-Z0-9]+", re.IGNORECASE)


class OrganisationsField(forms.ModelMultipleChoiceField[Organisation]):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            queryset=Organisation.objects.filter(is_active=True).order_by("name"), **kwargs
        )

    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("All audiences")), *Audience.choices],
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


class DetailsForm(forms.Form):
    """What a guideline covers, for whom, and which challenges it answers."""

    language = forms.ChoiceField(label=_("Main language"), choices=settings.LANGUAGES)
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What situations the guideline covers, and what it leaves out."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Choose an organisation"),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who the guideline is written for."),
        error_messages={
            "required": _("Choose at least one audience the guideline is written for.")
        },
    )
    sectors = CategoriesField(kind=TypologyKind.SECTOR, label=_("Sectors"))
    exploitation_forms = CategoriesField(
        kind=TypologyKind.EXPLOITATION_FORM, label=_("Forms of exploitation")
    )
    challenges = forms.CharField(
        label=_("Challenges it addresses"),
        required=False,
        max_length=2000,
        help_text=_(
            "References of practitioners' challenges, such as CH-2026-K7Q2X, separated by "
            "commas. When the guideline is published, each is told it was addressed."
        ),
    )
    replaces = forms.ModelChoiceField(
        label=_("Replaces"),
        required=False,
        queryset=Guideline.objects.filter(status=GuidelineStatus.PUBLISHED).order_by("title"),
        empty_label=_("No guideline"),
        help_text=_("A published guideline this one supersedes once published."),
    )

    def __init__(
        self, *args: Any, user: AnyUser, guideline: Guideline | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if guideline is not None:
            replaceable = self.fields["replaces"]
            assert isinstance(replaceable, forms.ModelChoiceField)
            replaceable.queryset = (
                Guideline.objects.filter(status=GuidelineStatus.PUBLISHED)
                .exclude(pk=guideline.pk)
                .order_by("title")
            )

    def clean_challenges(self) -> list[Challenge]:
        text = self.cleaned_data.get("challenges", "")
        references = [match.upper() for match in _REFERENCE.findall(text)]
        leftover = _REFERENCE.sub("", text).replace(",", " ").split()
        if leftover:
            raise forms.ValidationError(
                _("“%(text)s” is not a challenge reference."), params={"text": leftover[0]}
            )
        found = {
            challenge.reference: challenge
            for challenge in challenge_scope(self.user).filter(reference__in=references)
        }
        missing = [reference for reference in references if reference not in found]
        if missing:
            raise forms.ValidationError(
                _("No challenge %(reference)s was found."), params={"reference": missing[0]}
            )
        return [found[reference] for reference in dict.fromkeys(references)]

    @staticmethod
    def initial_from(guideline: Guideline) -> dict[str, Any]:
        categories = list(guideline.categories.select_related("typology"))
        return {
            "language": guideline.language,
            "scope": guideline.scope,
            "organisation": guideline.organisation_id,
            "audiences": list(guideline.audiences.values_list("audience", flat=True)),
            "sectors": [c.code for c in categories if c.typology.kind == TypologyKind.SECTOR],
            "exploitation_forms": [
                c.code for c in categories if c.typology.kind == TypologyKind.EXPLOITATION_FORM
            ],
            "challenges": ", ".join(
                str(reference)
                for reference in guideline.challenges.values_list("reference", flat=True)
                if reference
            ),
            "replaces": guideline.replaces_id,
        }

    def to_input(self) -> GuidelineInput:
        data = self.cleaned_data
        return GuidelineInput(
            organisation=data["organisation"],
            scope=data["scope"],
            language=data["language"],
            audiences=data["audiences"],
            sectors=list(data["sectors"]),
            exploitation_forms=list(data["exploitation_forms"]),
            challenges=data["challenges"],
            replaces=data["replaces"],
        )


class TextForm(forms.Form):
    """A language's text: a title and Markdown, saved as a new version."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Markdown: leave an empty line between paragraphs; ## starts a heading, - a list "
            "item, **bold**. Each paragraph can be commented on in a consultation."
        ),
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=300,
        help_text=_("A line for the version history."),
    )


class GuidelineCreateForm(TextForm, DetailsForm):
    """A new guideline: its first text and its particulars."""

    field_order = ["title", "body", "language", "scope", "organisation", "audiences"]


def _people(text: str) -> list[User]:
    wanted = [line.strip() for line in re.split(r"[\n,;]", text) if line.strip()]
    found: list[User] = []
    for item in wanted:
        person = User.objects.filter(Q(username__iexact=item) | Q(email__iexact=item)).first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody with the user name or e-mail address “%(item)s” was found."),
                params={"item": item},
            )
        found.append(person)
    return found


class InviteForm(forms.Form):
    organisations = OrganisationsField(
        label=_("Organisations"),
        help_text=_("Every member of an invited organisation can comment."),
    )
    people = forms.CharField(
        label=_("People"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("User names or e-mail addresses, one a line."),
    )

    def clean_people(self) -> list[User]:
        return _people(self.cleaned_data.get("people", ""))


class ConsultationForm(InviteForm):
    deadline = forms.DateField(
        label=_("Comments by"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Give the deadline."), "invalid": _("Enter a real date.")},
    )
    introduction = forms.CharField(
        label=_("What you ask of the commenters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["deadline", "organisations", "people", "introduction"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    proposed_text = forms.CharField(
        label=_("Proposed text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("If you would write the paragraph differently, give your version."),
    )

    def __init__(self, *args: Any, on_paragraph: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not on_paragraph:
            del self.fields["proposed_text"]


class CommentsField(forms.ModelMultipleChoiceField[Comment]):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Comment) -> str:
        where = (
            _("paragraph %(number)s") % {"number": obj.paragraph_position}
            if obj.paragraph_position
            else _("the whole guideline")
        )
        return f"{obj.author} ({where}): {obj.body[:120]}"


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("The covering text of your organisation's official statement."),
    )
    comments = CommentsField(
        label=_("Comments the statement gathers"),
        queryset=Comment.objects.none(),
        error_messages={"required": _("Choose the comments the statement gathers.")},
    )

    def __init__(self, *args: Any, comments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["comments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = comments


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Answer"),
        choices=Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the comment is accepted.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the comment is not accepted in full."),
    )


class DecisionChoiceField(forms.ModelChoiceField[Decision]):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.decided_on:%d.%m.%Y} {obj.body}: {obj.text[:80]}"


class ApproveForm(forms.Form):
    approved_on = forms.DateField(
        label=_("Approved on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Left empty, the date of the decision is used."),
        error_messages={"invalid": _("Enter a real date.")},
    )
    body = forms.ModelChoiceField(
        label=_("Approved by"),
        required=False,
        queryset=Body.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Not by a body"),
    )
    decision = DecisionChoiceField(
        label=_("Decision in the minutes"),
        required=False,
        queryset=Decision.objects.select_related("body").order_by("-decided_on", "-pk")[:200],
        empty_label=_("No recorded decision"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the guideline withdrawn?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the guideline is withdrawn.")},
    )


class SupersedeForm(forms.Form):
    by = forms.ModelChoiceField(
        label=_("Superseded by"),
        queryset=Guideline.objects.none(),
        empty_label=_("Choose a published guideline"),
        error_messages={"required": _("Choose the guideline that supersedes this one.")},
    )

    def __init__(self, *args: Any, guideline: Guideline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Guideline.objects.filter(status=GuidelineStatus.PUBLISHED)
            .exclude(pk=guideline.pk)
            .order_by("title")
        )
