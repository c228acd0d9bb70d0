"""Forms for the directory: organisations, people, memberships and bodies."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import BodyKind, BodyRole, OrganisationKind
from polku.actors.models import Body, Organisation
from polku.actors.services import BODY_FIELDS, ORGANISATION_FIELDS, PERSON_FIELDS


def _with_blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_with_blank(OrganisationKind.choices, _("All kinds")),
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[])
    include_inactive = forms.BooleanField(label=_("Include retired organisations"), required=False)

    def __init__(self, *args: Any, regions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = _with_blank(
            [(region, region) for region in regions], _("All regions")
        )


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parents = Organisation.objects.filter(is_active=True).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        parent.queryset = parents


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=100,
        help_text=_("Part of its name or its abbreviation."),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=_with_blank(Role.choices, _("All roles"))
    )


class OrganisationNameField(forms.CharField):
    """An active organisation named by its name in any language or its abbreviation."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", _("Its full name in English, Finnish or Swedish, or its abbreviation.")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Organisation:
        name = str(super().clean(value)).strip()
        query = Q()
        for field in ("name", "name_fi", "name_sv", "short_name"):
            query |= Q(**{f"{field}__iexact": name})
        matches = list(Organisation.objects.filter(query, is_active=True).order_by("name")[:5])
        if not matches:
            raise forms.ValidationError(_("No active organisation has that name."))
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several organisations match: %(names)s. Use the full name.")
                % {"names": ", ".join(match.display_name for match in matches)}
            )
        return matches[0]


class PersonForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = PERSON_FIELDS
        labels = {"is_active": _("Can sign in")}


class MembershipForm(forms.Form):
    organisation = OrganisationNameField(label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=_with_blank(Role.choices, _("Choose a role")))
    title = forms.CharField(label=_("Title in the organisation"), required=False, max_length=200)


class MfaResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the two-step sign-in being reset?"),
        help_text=_("For example: lost phone, reported by telephone on 3 March."),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BodyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_blank(BodyKind.choices, _("All kinds"))
    )


class BodyForm(forms.ModelForm[Body]):
    class Meta:
        model = Body
        fields = BODY_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        convened_by = self.fields["convened_by"]
        assert isinstance(convened_by, forms.ModelChoiceField)
        convened_by.queryset = Organisation.objects.filter(is_active=True).order_by("name")


class BodyMemberForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        help_text=_("Their user name or e-mail address."),
        max_length=150,
    )
    organisation = OrganisationNameField(label=_("Represents"))
    role = forms.ChoiceField(label=_("Role"), choices=BodyRole.choices, initial=BodyRole.MEMBER)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_person(self) -> User:
        # Only people the chair may already see can be found, so the form reveals no account.
        value = self.cleaned_data["person"].strip()
        people = self.people.filter(is_active=True)
        matches = list(
            people.filter(username__iexact=value)[:2] or people.filter(email__iexact=value)[:2]
        )
        if not matches:
            raise forms.ValidationError(
                _("Nobody you can see in the directory has that user name or e-mail address.")
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several people share that e-mail address; use the user name instead.")
            )
        return matches[0]
