"""The organisation directory in the JSON API: read-only, for systems and signed-in people."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from polku.accounts.models import User
from polku.actors import selectors
from polku.actors.choices import OrganisationKind
from polku.actors.models import Organisation
from polku.api.auth import api_auth
from polku.api.schemas import ERROR_RESPONSES, PageQuery
from polku.api.scopes import register_scope

ORGANISATIONS_READ = register_scope("organisations:read", _("Read the organisation directory"))

router = Router(auth=api_auth(ORGANISATIONS_READ.code))


class OrganisationOut(Schema):
    id: int
    name: str = Field(description="The name in English.")
    name_fi: str = Field(description="The name in Finnish, or empty.")
    name_sv: str = Field(description="The name in Swedish, or empty.")
    short_name: str = Field(description="The abbreviation, or empty.")
    kind: OrganisationKind
    parent_id: int | None = Field(description="The organisation this one is part of.")
    region: str
    website: str


class OrganisationPage(Schema):
    count: int = Field(description="How many organisations match, across all pages.")
    limit: int
    offset: int
    items: list[OrganisationOut]


class OrganisationQuery(PageQuery):
    kind: OrganisationKind | None = Field(None, description="Only organisations of this kind.")
    q: str | None = Field(None, max_length=100, description="Text to find in any of the names.")


def _directory(request: HttpRequest, *, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    """The organisations the caller may read, through the directory's own selector for people.

    A token acts for an active organisation, which reads the active directory as any insider.
    """
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, User):
        return selectors.organisation_list(user=caller, search=search, kind=kind)
    organisations = Organisation.objects.filter(is_active=True)
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search)
            | Q(name_fi__icontains=search)
            | Q(name_sv__icontains=search)
            | Q(short_name__icontains=search)
        )
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name", "pk")


@router.get(
    "",
    response={200: OrganisationPage, **ERROR_RESPONSES},
    summary="List organisations",
    description="The active organisations in the directory, by name. "
    "Requires the scope `organisations:read`.",
)
def list_organisations(request: HttpRequest, filters: Query[OrganisationQuery]) -> dict[str, Any]:
    organisations = _directory(request, search=filters.q or "", kind=filters.kind or "")
    page = organisations[filters.offset : filters.offset + filters.limit]
    return {
        "count": organisations.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(page),
    }


@router.get(
    "/{organisation_id}",
    response={200: OrganisationOut, **ERROR_RESPONSES},
    summary="Get one organisation",
    description="Requires the scope `organisations:read`.",
)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = _directory(request).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation
