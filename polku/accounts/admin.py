"""People in the Django admin, with Polku's own fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User


@admin.register(User)
class PolkuUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """The standard user admin, plus job title, phone and preferred language."""

    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Polku"), {"fields": ("job_title", "phone", "preferred_language")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "preferred_language")
