"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest

from polku.core.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "navigation": navigation_for(request),
        "header_links": navigation_for(request, header=True),
    }
