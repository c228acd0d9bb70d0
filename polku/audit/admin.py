"""The audit log in the admin: read-only, and every read of it is itself recorded."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from polku.accounts.models import User
from polku.audit.models import AuditEvent
from polku.audit.services import audit_access


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Lists and shows events; nobody can add, change or delete one here."""

    list_display = [
        "id",
        "occurred_at",
        "kind",
        "action",
        "actor_label",
        "target_label",
        "ip_address",
    ]
    list_filter = ["kind"]
    search_fields = ["action", "actor_label", "target_label", "target_id", "request_id"]
    ordering = ["-id"]
    show_full_result_count = False
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEvent | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_access(
                actor=_user(request),
                action="audit.event.list",
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
                action="audit.event.view",
                target=self.get_object(request, object_id),
                detail={"via": "admin"},
            )
        return response


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None
