from django.contrib import admin

from polku.notifications.models import Notification, NotificationPreference, SentReminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
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
class SentReminderAdmin(admin.ModelAdmin[SentReminder]):
    list_display = ["day", "kind", "target_type", "target_id", "recipient_count"]
    list_filter = ["kind"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email", "updated_at"]
    list_filter = ["email"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
