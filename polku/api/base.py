"""Polku's NinjaAPI: JSON errors everywhere under /api/v1/, including unknown paths."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.openapi.urls import get_openapi_urls

from polku.api.docs import LocalSwagger
from polku.api.errors import error_body, install_error_handlers


class PolkuAPI(NinjaAPI):
    """A NinjaAPI whose every response, error or not, is JSON in one format."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("docs", LocalSwagger())
        super().__init__(**kwargs)
        install_error_handlers(self)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns: list[URLResolver | URLPattern] = list(get_openapi_urls(self))
        for bound_router in self._get_bound_routers():
            patterns.extend(bound_router.urls_paths(bound_router.prefix))
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_method_not_allowed(pattern.callback, self)
        # The name "api-root" is what django-ninja reverses to find the schema's path prefix.
        patterns.append(path("", csrf_exempt(self._root_view), name="api-root"))
        patterns.append(re_path(r"^.+$", csrf_exempt(self._unknown_path_view)))
        return patterns

    def _root_view(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        namespace = self.urls_namespace
        return self.create_response(
            request,
            {
                "title": self.title,
                "version": self.version,
                "openapi": reverse(f"{namespace}:openapi-json"),
                "docs": reverse(f"{namespace}:openapi-view"),
            },
            status=200,
        )

    def _unknown_path_view(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.create_response(
            request, error_body("not_found", _("There is no API endpoint here.")), status=404
        )

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """Names fields as clients send them, without the Python parameter holding them."""
        errors = super().validation_error_from_error_contexts(error_contexts).errors
        wrappers = set()
        for context in error_contexts:
            model = context.model
            single = getattr(model, "__read_from_single_attr__", None)
            if single:
                wrappers.add(single)
            for target in getattr(model, "__ninja_flatten_map__", {}).values():
                if len(target) > 1:
                    wrappers.add(target[0])
        for error in errors:
            location = tuple(error["loc"])
            if len(location) > 2 and location[1] in wrappers:
                error["loc"] = (location[0], *location[2:])
        return ValidationError(errors)


def _json_method_not_allowed(
    view: Callable[..., HttpResponse], api: NinjaAPI
) -> Callable[..., HttpResponse]:
    """django-ninja answers a wrong method with plain text; this keeps the answer JSON."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = api.create_response(
                request,
                error_body("method_not_allowed", _("This method is not allowed here.")),
                status=405,
            )
            response["Allow"] = allowed
        return response

    return wrapped
