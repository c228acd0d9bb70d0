from django.contrib import admin

from polku.notifications.models import Notification, SentReminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin[SentReminder]):
    list_display = ["day", "kind", "target_type", "target_id", "recipient_count"]
    list_filter = ["kind"]
