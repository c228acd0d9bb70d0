"""Pages to issue, list and revoke an organisation's API tokens."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from polku.api import selectors, services
from polku.api.forms import ApiTokenCreateForm, ApiTokenFilterForm
from polku.api.permissions import can_manage_tokens, manageable_organisations
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require

# The service names the moment a token expires; the form asks for a day.
_FORM_FIELD_FOR = {"expires_at": "expires_on"}


@insider_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_manage_tokens(user))
    organisations = manageable_organisations(user).order_by("name")
    form = ApiTokenFilterForm(request.GET or None, organisations=organisations)
    organisation = form.cleaned_data.get("organisation") if form.is_valid() else None
    tokens = selectors.api_token_list(
        user=user, organisation_id=organisation.pk if organisation is not None else None
    )
    return render(
        request,
        "api/token_list.html",
        {"filter_form": form, "page_obj": paginate(request, tokens), "organisation": organisation},
    )


@never_cache
@insider_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_manage_tokens(user))
    organisations = manageable_organisations(user).order_by("name")
    initial: dict[str, object] = {}
    if request.method == "GET" and request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    elif organisations.count() == 1:
        initial["organisation"] = organisations.first()
    form = ApiTokenCreateForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = services.api_token_issue(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            show_service_error(form, error, field_names=_FORM_FIELD_FOR)
        else:
            # Rendered in this response and nowhere else: the plaintext is never stored,
            # not even in the session.
            return render(
                request,
                "api/token_created.html",
                {
                    "token": token,
                    "plaintext": plaintext,
                    "example_url": settings.SITE_URL.rstrip("/")
                    + reverse("api-v1:list_organisations"),
                },
            )
    return render(request, "api/token_form.html", {"form": form})


@insider_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    token = selectors.api_token_get(user=user, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.api_token_revoke(actor=user, token=token)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
            )
            return redirect("api:token_list")
    return render(
        request,
        "api/token_revoke.html",
        {"token": token, "error": error},
        status=409 if error else 200,
    )
