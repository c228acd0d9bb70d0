"""Estimate runs in the admin: read-only, every look recorded, and never the table itself."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from polku.core.admin import AuditedReadAdmin
from polku.statistics.models import EstimateRun


@admin.register(EstimateRun)
class EstimateRunAdmin(AuditedReadAdmin[EstimateRun]):
    list_display = (
        "title",
        "reference_year",
        "organisation",
        "method",
        "interval_method",
        "status",
        "estimate",
        "for_annual_report",
        "created_at",
    )
    list_filter = ("status", "method", "for_annual_report", "reference_year")
    search_fields = ("title",)
    # The capture-history table is small-cell data: it is read only on its own audited page.
    exclude = ("table_csv",)
    list_select_related = ("organisation",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[EstimateRun]:
        return super().get_queryset(request).defer("table_csv")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            field.name
            for field in EstimateRun._meta.concrete_fields
            if field.name not in ("id", "table_csv")
        ]
