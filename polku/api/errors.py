"""One JSON error format for every failure, and nothing internal ever reaches a client."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from polku.audit.context import current_request

logger = logging.getLogger("polku.api")

_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "too_many_requests",
}


class ApiError(HttpError):
    """An error whose message is written for the client to read."""

    def __init__(
        self, status_code: int, message: str | Promise, *, code: str | None = None
    ) -> None:
        super().__init__(status_code, str(message))
        self.code = code or _STATUS_CODES.get(status_code, "error")


class NotAuthenticated(ApiError, AuthenticationError):
    """No usable credentials: 401 with a challenge naming the bearer scheme."""

    def __init__(self, message: str | Promise | None = None) -> None:
        ApiError.__init__(
            self,
            401,
            message
            or _("Authentication required: send the header 'Authorization: Bearer <token>'."),
        )


class MissingScope(ApiError, AuthorizationError):
    """Valid credentials that do not carry the scope the endpoint needs: 403."""

    def __init__(self, scope: str, message: str | Promise | None = None) -> None:
        self.scope = scope
        ApiError.__init__(
            self,
            403,
            message or _("This API token does not have the scope %(scope)s.") % {"scope": scope},
            code="insufficient_scope",
        )


def error_body(
    code: str, message: str | Promise, *, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if errors is not None:
        body["errors"] = errors
    return body


def _default_message(status: int) -> str:
    messages = {
        400: _("The request could not be read."),
        401: _("Authentication required: send the header 'Authorization: Bearer <token>'."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        429: _("Too many requests. Wait a moment and try again."),
    }
    return messages.get(status, _("The request failed."))


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    location = [str(part) for part in error.get("loc", ())]
    kind = str(error.get("type", "invalid"))
    message = _("Unknown field.") if kind == "extra_forbidden" else str(error.get("msg", ""))
    return {
        "location": location[0] if location else "",
        "field": ".".join(location[1:]),
        "message": message,
        "type": kind,
    }


def handle_validation_error(
    request: HttpRequest, exc: ValidationError, api: NinjaAPI
) -> HttpResponse:
    errors = [_field_error(error) for error in exc.errors]
    return api.create_response(
        request,
        error_body(
            "validation_error",
            _("The request is not valid. See the errors for each field."),
            errors=errors,
        ),
        status=422,
    )


def handle_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    status = exc.status_code
    if isinstance(exc, ApiError):
        code, message = exc.code, exc.message
    elif status == 400:
        # django-ninja raises a bare 400 only when the body cannot be parsed.
        code, message = "bad_request", _("The request body could not be read as JSON.")
    else:
        code, message = _STATUS_CODES.get(status, "error"), _default_message(status)
    response = api.create_response(request, error_body(code, message), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Polku API"'
    elif isinstance(exc, MissingScope):
        response["WWW-Authenticate"] = (
            f'Bearer realm="Polku API", error="insufficient_scope", scope="{exc.scope}"'
        )
    return response


def handle_not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


def handle_permission_denied(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("forbidden", _default_message(403)), status=403)


def handle_django_validation_error(
    request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI
) -> HttpResponse:
    """A service's refusal, field by field where it names fields."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"location": "body", "field": field, "message": str(message), "type": "invalid"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [
            {"location": "body", "field": "", "message": str(message), "type": "invalid"}
            for message in exc.messages
        ]
    return api.create_response(
        request,
        error_body("validation_error", _("The request was refused."), errors=errors),
        status=422,
    )


def handle_server_error(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    """Logs the failure with its traceback and tells the client only that it happened."""
    request_id = current_request.get().request_id
    logger.exception(
        "Unhandled error in API request %s %s (request %s)",
        request.method,
        request.path,
        request_id or "-",
    )
    body = error_body(
        "server_error", _("Something went wrong on the server. The error has been logged.")
    )
    if request_id:
        body["request_id"] = request_id
    return api.create_response(request, body, status=500)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replaces django-ninja's defaults, which show tracebacks when DEBUG is on."""

    def bind(handler: Any) -> Any:
        return lambda request, exc: handler(request, exc, api)

    api.add_exception_handler(ValidationError, bind(handle_validation_error))
    api.add_exception_handler(HttpError, bind(handle_http_error))
    api.add_exception_handler(Http404, bind(handle_not_found))
    api.add_exception_handler(PermissionDenied, bind(handle_permission_denied))
    api.add_exception_handler(DjangoValidationError, bind(handle_django_validation_error))
    api.add_exception_handler(Exception, bind(handle_server_error))
