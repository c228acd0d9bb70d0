"""Base schemas for the API: strict input, the error format and paginated lists."""

from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25


def _refuse_nul(value: Any) -> Any:
    """Text may not hold NUL characters: PostgreSQL cannot store or compare them."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class InputSchema(Schema):
    """A request body: any field the schema does not declare is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _refuse_nul(value)


class QuerySchema(Schema):
    """An endpoint's query parameters: any parameter the schema does not declare is an error.

    django-ninja passes only the declared parameters on, so the ones it dropped are put back
    here from the request for `extra="forbid"` to report by name.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _refuse_nul(value)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_parameters(cls, data: Any, info: ValidationInfo) -> Any:
        request = (info.context or {}).get("request")
        if not isinstance(request, HttpRequest) or not isinstance(data, dict):
            return data
        known = {field.alias or name for name, field in cls.model_fields.items()}
        known |= set(cls.model_fields)
        unknown = {key: request.GET.get(key) for key in request.GET if key not in known}
        return {**data, **unknown} if unknown else data


class PageQuery(QuerySchema):
    """Offset pagination, shared by every list endpoint."""

    limit: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"How many items to return (at most {MAX_PAGE_SIZE}).",
    )
    offset: int = Field(0, ge=0, le=2**31 - 1, description="How many items to skip.")


class PageMeta(Schema):
    count: int = Field(description="How many items match, across all pages.")
    limit: int
    offset: int


class FieldError(Schema):
    location: str = Field(description="Where the value came from: query, path, body or header.")
    field: str = Field(description="The field, with dots for nested fields.")
    message: str
    type: str = Field(description="A stable code for the kind of error.")


class Error(Schema):
    """Every error the API returns has this shape."""

    code: str = Field(description="A stable, machine-readable code, such as not_found.")
    message: str = Field(description="What went wrong, for a person to read.")
    errors: list[FieldError] | None = Field(
        None, description="For validation errors: each field and what is wrong with it."
    )
    request_id: str | None = Field(
        None, description="Quote this when reporting a server error to the administrators."
    )


ERROR_RESPONSES: dict[int, type[Error]] = {
    401: Error,
    403: Error,
    404: Error,
    422: Error,
}
