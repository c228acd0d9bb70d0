"""The directory in Django's admin: read-only; changes go through the directory pages."""

from django.contrib import admin

from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.core.admin import AuditedReadAdmin, ReadOnlyAdminMixin


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class BodyMemberInline(ReadOnlyAdminMixin, admin.TabularInline[BodyMember, Body]):
    model = BodyMember
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedReadAdmin[Organisation]):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_fi", "name_sv", "short_name"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Body)
class BodyAdmin(AuditedReadAdmin[Body]):
    list_display = ["name", "kind", "visibility", "convened_by", "is_active"]
    list_filter = ["kind", "visibility", "is_active"]
    search_fields = ["name", "name_fi", "name_sv"]
    autocomplete_fields = ["convened_by"]
    inlines = [BodyMemberInline]
