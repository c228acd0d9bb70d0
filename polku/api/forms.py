"""Forms for the API token pages."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.actors.models import Organisation
from polku.api.scopes import scope_choices
from polku.api.services import NAME_MAX_LENGTH

# Tokens are meant to be rotated; an expiry beyond this is refused (and 9999 overflows).
MAX_EXPIRY_YEAR = 2100


class ApiTokenFilterForm(forms.Form):
    hide_optional = True

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class ApiTokenCreateForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("The token acts for this organisation."),
        error_messages={"required": _("Choose the organisation the token is for.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Say which system uses the token, for example “Case system export”."),
        error_messages={"required": _("Enter a name for the token.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        error_messages={"required": _("Choose at least one scope.")},
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The token stops working at the end of this day. Leave empty for no expiry."),
        error_messages={"invalid": _("Enter the expiry as a real date.")},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        scopes.choices = scope_choices()

    def clean_expires_on(self) -> date | None:
        expires_on: date | None = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be after today."))
        if expires_on is not None and expires_on.year > MAX_EXPIRY_YEAR:
            raise forms.ValidationError(
                _("The expiry date must be in %(year)s or earlier.") % {"year": MAX_EXPIRY_YEAR}
            )
        return expires_on

    def expires_at(self) -> datetime | None:
        """The end of the chosen day in the site's time zone."""
        expires_on: date | None = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        return timezone.make_aware(datetime.combine(expires_on + timedelta(days=1), time.min))
