"""Interactive API documentation served from Polku's own origin, within the site's CSP."""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    """Swagger UI from the copy bundled with django-ninja: no CDN, no inline script.

    The settings travel in a JSON data block (`json_script`) that django-ninja's own init
    script reads, so every executable script comes from 'self'. The online validator is
    switched off because it would send the schema to a third-party server.
    """

    template = "api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": settings,
            "api": api,
            "add_csrf": True,
        }
        response = render(request, self.template, context)
        response["Cache-Control"] = "no-store"
        return response
