"""Read-only view of API tokens for administrators; tokens are issued and revoked in Polku."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from polku.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    search_fields = ["name", "prefix", "organisation__name"]
    list_select_related = ["organisation"]
    exclude = ["secret_hash"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in ApiToken._meta.fields if field.name != "secret_hash"]

    # Writes must go through the audited services on the token pages.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
