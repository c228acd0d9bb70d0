"""One way to paginate every list page and fragment."""

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> Page[Any]:
    """The requested page of a list; a page number out of range gives the nearest page."""
    paginator = Paginator(items, per_page or settings.POLKU_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
