"""Sign-in, sign-out, password reset, MFA and preferences."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switches the interface language, and remembers it for a signed-in person."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in {"en", "fi", "sv"}:
        from polku.accounts.services import user_set_language

        user_set_language(actor=user, user=user, language=language)
    return response
