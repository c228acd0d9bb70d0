"""The form a person uses to choose how notifications reach them by e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.notifications.choices import EmailDelivery


class NotificationSettingsForm(forms.Form):
    """How notifications are e-mailed: each at once, one daily digest, or not at all."""

    email = forms.ChoiceField(
        label=_("How should Polku e-mail you notifications?"),
        help_text=_(
            "Whatever you choose, every notification stays in your list in Polku. The daily "
            "digest is one e-mail a day listing the notifications of the last seven days that "
            "you have not read yet."
        ),
        choices=EmailDelivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose how Polku should e-mail you: each one as it happens, one daily digest, "
                "or none by e-mail"
            ),
            "invalid_choice": _(
                "Choose one of the options: each one as it happens, one daily digest, or none "
                "by e-mail"
            ),
        },
    )
