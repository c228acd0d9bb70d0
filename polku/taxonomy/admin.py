"""Typologies in Django's admin, for administrators adding a new version; every change is
audited."""

from django.contrib import admin

from polku.core.admin import AuditedWriteAdmin
from polku.taxonomy.models import Category, Typology


class CategoryInline(admin.TabularInline[Category, Typology]):
    model = Category
    extra = 0
    fk_name = "typology"
    fields = ["code", "label", "label_fi", "label_sv", "order"]


@admin.register(Typology)
class TypologyAdmin(AuditedWriteAdmin[Typology]):
    list_display = ["name", "kind", "version", "valid_from", "is_current"]
    list_filter = ["kind", "is_current"]
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(AuditedWriteAdmin[Category]):
    list_display = ["label", "code", "typology", "order"]
    list_filter = ["typology"]
    search_fields = ["label", "label_fi", "label_sv", "code"]
    filter_horizontal = ["replaces"]
