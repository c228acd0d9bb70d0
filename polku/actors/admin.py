"""The directory in Django's admin, for administrators' occasional repairs."""

from django.contrib import admin

from polku.actors.models import Body, BodyMember, Membership, Organisation


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class BodyMemberInline(admin.TabularInline[BodyMember, Body]):
    model = BodyMember
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_fi", "name_sv", "short_name"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin[Body]):
    list_display = ["name", "kind", "visibility", "convened_by", "is_active"]
    list_filter = ["kind", "visibility", "is_active"]
    search_fields = ["name", "name_fi", "name_sv"]
    autocomplete_fields = ["convened_by"]
    inlines = [BodyMemberInline]
