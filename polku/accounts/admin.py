"""People in the Django admin: read-only, with reads recorded.

Accounts change through Polku's own pages and services, which write the audit log; the admin
is for looking, and its views of personal data are recorded like any other.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import User
from polku.core.admin import AuditedReadAdmin

# Authenticator keys and backup codes are secrets; nobody should read them in the admin.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(User)
class PolkuUserAdmin(AuditedReadAdmin[User]):
    """Who exists, their details and their flags, without the password hash."""

    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Polku"), {"fields": ("job_title", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "preferred_language")
    search_fields = UserAdmin.search_fields
    ordering = ("username",)
