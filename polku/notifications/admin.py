"""Notifications in the admin, to look at: they change through their services, audited."""

from django.contrib import admin

from polku.core.admin import AuditedReadAdmin
from polku.notifications.models import Notification, NotificationPreference, SentReminder


@admin.register(Notification)
class NotificationAdmin(AuditedReadAdmin[Notification]):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "title",
        "read_at",
        "emailed_at",
        "digest_id",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(SentReminder)
class SentReminderAdmin(AuditedReadAdmin[SentReminder]):
    list_display = ["day", "kind", "target_type", "target_id", "recipient_count"]
    list_filter = ["kind"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(AuditedReadAdmin[NotificationPreference]):
    list_display = ["user", "email", "updated_at"]
    list_filter = ["email"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
