"""Meetings' URLs: meetings and agendas; minutes and decisions; actions and bodies' pages."""

from django.urls import include, path

app_name = "meetings"

urlpatterns = [
    path("", include("polku.meetings.urls_meetings")),
    path("", include("polku.meetings.urls_minutes")),
    path("", include("polku.meetings.urls_actions")),
]
