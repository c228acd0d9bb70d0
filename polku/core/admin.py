"""Admin building blocks: Polku's data changes through its services, never through the admin."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from polku.accounts.models import User
from polku.audit.services import audit_access


class ReadOnlyAdminMixin:
    """Shows rows without add, change or delete: writes must go through audited services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedReadAdmin[M: Model](ReadOnlyAdminMixin, admin.ModelAdmin[M]):
    """A read-only admin that records each list and each object viewed as an access event."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_access(
                actor=_user(request),
                action=f"{self.model._meta.label_lower}.list",
                detail={"via": "admin", "query": request.GET.urlencode()},
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            audit_access(
                actor=_user(request),
                action=f"{self.model._meta.label_lower}.view",
                detail={"via": "admin", "id": object_id},
            )
        return response


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None
