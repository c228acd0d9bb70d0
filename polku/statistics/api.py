"""Statistics returns in the JSON API: an organisation's systems read and send its figures."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.api.auth import api_auth
from polku.api.errors import error_body
from polku.api.models import ApiToken
from polku.api.schemas import ERROR_RESPONSES, Error, InputSchema, QuerySchema
from polku.api.scopes import register_scope
from polku.statistics.choices_returns import EDITABLE_STATUSES, FigureSource, ReturnStatus
from polku.statistics.models import Return
from polku.statistics.permissions_returns import provider_organisations
from polku.statistics.selectors_returns import return_read
from polku.statistics.services.returns import (
    FiguresInvalid,
    WarningsNotConfirmed,
    answerable_person,
    return_save_figures,
    return_start,
    return_submit,
    unanswerable_token_message,
)
from polku.statistics.validation import FIELDS, Entry, Problem, assigned_indicators

STATISTICS_READ = register_scope(
    "statistics:read",
    gettext_lazy("Read the organisation's statistics returns"),
    session_roles=[Role.DATA_PROVIDER],
)
STATISTICS_WRITE = register_scope(
    "statistics:write",
    gettext_lazy("Send and submit the organisation's statistics returns"),
    session_roles=[Role.DATA_PROVIDER],
)

router = Router()


class FigureIO(Schema):
    indicator: str = Field(description="The indicator's code, such as registered_victims.")
    dimension: str = Field(
        "",
        description="sex, age_group, age_band, citizenship, country or exploitation_form; "
        "empty for the total.",
    )
    category: str = Field("", description="The category's code; empty for the total.")
    value: int = Field(description="A whole number of 0 or more.")


class FigureIn(InputSchema, FigureIO):
    pass


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    dimensions: list[str] = Field(description="The breakdowns the indicator has.")


class ReturnOut(Schema):
    organisation_id: int
    organisation: str
    year: int
    status: ReturnStatus
    revision: int = Field(description="1 at first; grows each time the return is reopened.")
    comments: str = Field(description="What must change, when the return was sent back.")
    submitted_at: datetime | None
    validated_at: datetime | None
    accepted_at: datetime | None
    indicators: list[IndicatorOut] = Field(description="What the organisation reports this year.")
    figures: list[FigureIO]


class ReturnIn(InputSchema):
    figures: list[FigureIn] = Field(
        description="Every figure of the return: they replace the figures saved before. "
        "Each breakdown must add up to its indicator's total."
    )
    submit: bool = Field(
        False,
        description="Also submit the return to the organisation's validator. The person who "
        "issued the token is recorded as the submitter, so they cannot validate it; a token "
        "whose issuer no longer has an account cannot submit.",
    )
    confirm_warnings: bool = Field(
        False,
        description="Confirm totals far (over 50 % and over 10) from the previous accepted "
        "year; without it such a submission is refused with the warnings listed.",
    )


class ReturnQuery(QuerySchema):
    organisation: int | None = Field(
        None,
        description="For a signed-in person who provides data for several organisations: "
        "which one. Tokens always act for their own organisation.",
    )


def _organisation(request: HttpRequest, wanted: int | None) -> Organisation | None:
    """The organisation the caller acts for: the token's, or the person's own."""
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, ApiToken):
        if wanted is not None and wanted != caller.organisation_id:
            return None
        return caller.organisation
    assert isinstance(caller, User)
    organisations = Organisation.objects.filter(pk__in=provider_organisations(caller))
    if wanted is not None:
        organisations = organisations.filter(pk=wanted)
    chosen = list(organisations.order_by("name")[:2])
    return chosen[0] if len(chosen) == 1 else None


def _not_found(message: str) -> Status[Any]:
    return Status(404, error_body("not_found", message))


def _out(statistics_return: Return) -> dict[str, Any]:
    indicators = assigned_indicators(
        organisation=statistics_return.organisation, year=statistics_return.year
    )
    return {
        "organisation_id": statistics_return.organisation_id,
        "organisation": statistics_return.organisation.name,
        "year": statistics_return.year,
        "status": statistics_return.status,
        "revision": statistics_return.revision,
        "comments": statistics_return.comments,
        "submitted_at": statistics_return.submitted_at,
        "validated_at": statistics_return.validated_at,
        "accepted_at": statistics_return.accepted_at,
        "indicators": [
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "dimensions": indicator.ordered_dimensions,
            }
            for indicator in indicators
        ],
        "figures": [
            {
                "indicator": figure.indicator.code,
                "dimension": figure.dimension,
                "category": figure.category,
                "value": figure.value,
            }
            for figure in statistics_return.figures.select_related("indicator").order_by(
                "indicator__order", "indicator__code", "dimension", "category"
            )
        ],
    }


def _problem_errors(problems: list[Problem]) -> list[dict[str, str]]:
    """Each problem as a field error: ``figures.<index>.<column>`` where it has a row."""
    errors = []
    for problem in problems:
        if problem.row.isdigit() and problem.column in FIELDS:
            name = f"figures.{problem.row}.{problem.column}"
            message = problem.message
        else:
            name = "figures"
            message = str(problem)
        errors.append({"location": "body", "field": name, "message": message, "type": "invalid"})
    return errors


def _invalid(problems: list[Problem]) -> Status[Any]:
    return Status(
        422,
        error_body(
            "validation_error",
            _("The figures were refused and nothing was saved. See the errors for each figure."),
            errors=_problem_errors(problems),
        ),
    )


@router.get(
    "/returns/{year}",
    auth=api_auth(STATISTICS_READ.code),
    response={200: ReturnOut, **ERROR_RESPONSES},
    summary="Read the organisation's return for a year",
    description="The return's status, the indicators the organisation reports that year and "
    "the figures saved so far. Requires the scope `statistics:read`.",
)
def read_return(request: HttpRequest, year: int, query: Query[ReturnQuery]) -> Status[Any]:
    organisation = _organisation(request, query.organisation)
    if organisation is None:
        return _not_found(_("You provide data for no such organisation."))
    statistics_return = (
        Return.objects.filter(organisation=organisation, year=year)
        .select_related("organisation")
        .first()
    )
    if statistics_return is None:
        return _not_found(_("There is no return for this year yet; send its figures to start one."))
    caller = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, User):
        return_read(user=caller, statistics_return=statistics_return, what="api_read")
    else:
        return_read(
            user=None, statistics_return=statistics_return, what="api_read", token_name=caller.name
        )
    return Status(200, _out(statistics_return))


@router.put(
    "/returns/{year}",
    auth=api_auth(STATISTICS_WRITE.code),
    response={200: ReturnOut, 409: Error, **ERROR_RESPONSES},
    summary="Send the organisation's figures for a year",
    description="Replaces the return's figures with those sent, all or nothing: any error "
    "refuses the whole request and names each figure by its index "
    "(`figures.3.value`). With `submit` the return is also submitted, in the name of the "
    "person who issued the token, refused with `no_answerable_person` (422) when that "
    "person's account is deactivated or they are no longer a member of the organisation; "
    "totals far from "
    "the previous accepted year must then be confirmed with `confirm_warnings`. A return "
    "that has been submitted cannot be changed (409). Requires the scope "
    "`statistics:write`.",
)
def send_return(
    request: HttpRequest, year: int, payload: ReturnIn, query: Query[ReturnQuery]
) -> Status[Any]:
    organisation = _organisation(request, query.organisation)
    if organisation is None:
        return _not_found(_("You provide data for no such organisation."))
    caller = request.auth  # type: ignore[attr-defined]
    token = caller if isinstance(caller, ApiToken) else None
    actor = None if token is not None else caller
    if payload.submit and token is not None and answerable_person(token) is None:
        # Refused before anything is saved: no person would answer for the submission.
        return Status(
            422,
            error_body(
                "no_answerable_person",
                unanswerable_token_message(),
                errors=[
                    {
                        "location": "body",
                        "field": "submit",
                        "message": unanswerable_token_message(),
                        "type": "invalid",
                    }
                ],
            ),
        )
    existing = Return.objects.filter(organisation=organisation, year=year).first()
    if existing is not None and existing.status not in EDITABLE_STATUSES:
        return Status(
            409,
            error_body(
                "conflict",
                _("The return for %(year)s has been submitted; reopen it to change it.")
                % {"year": year},
            ),
        )
    entries = [
        Entry(
            indicator=figure.indicator,
            dimension=figure.dimension,
            category=figure.category,
            value=str(figure.value),
            row=str(index),
        )
        for index, figure in enumerate(payload.figures)
    ]
    try:
        statistics_return = existing or return_start(
            actor=actor, organisation=organisation, year=year, token=token
        )
        return_save_figures(
            actor=actor,
            statistics_return=statistics_return,
            entries=entries,
            source=FigureSource.API,
            token=token,
        )
        if payload.submit:
            return_submit(
                actor=actor,
                statistics_return=statistics_return,
                confirm_warnings=payload.confirm_warnings,
                token=token,
            )
    except FiguresInvalid as error:
        return _invalid(error.problems)
    except WarningsNotConfirmed as error:
        return Status(
            422,
            error_body(
                "warnings_not_confirmed",
                _(
                    "The figures are saved but not submitted: confirm the totals that changed "
                    "much from the previous year with confirm_warnings."
                ),
                errors=[
                    {
                        "location": "body",
                        "field": "confirm_warnings",
                        "message": jump.message,
                        "type": "warning",
                    }
                    for jump in error.jumps
                ],
            ),
        )
    except ValidationError as error:
        return Status(
            422,
            error_body(
                "validation_error",
                " ".join(error.messages),
                errors=[
                    {"location": "path", "field": "year", "message": message, "type": "invalid"}
                    for message in error.messages
                ],
            ),
        )
    statistics_return.refresh_from_db()
    return Status(200, _out(statistics_return))
