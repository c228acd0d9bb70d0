"""Small helpers every app's views share."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from polku.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, in a view that has already required someone signed in."""
    user = request.user
    assert isinstance(user, User)
    return user


def show_service_error(
    form: BaseForm, error: ValidationError, *, field_names: Mapping[str, str] | None = None
) -> None:
    """Shows a service's refusal on the form, field by field where it names fields.

    `field_names` maps a service's field name to the form's where the two differ.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = (field_names or {}).get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
