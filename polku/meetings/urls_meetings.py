"""Meetings, invitations, agendas, papers and the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from polku.meetings import (
    views_agenda,
    views_calendar,
    views_documents,
    views_invitations,
    views_meetings,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_meetings.meeting_list, name="meeting_list"),
    path("new/", views_meetings.meeting_create, name="meeting_create"),
    path("calendar/", views_calendar.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path("<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views_meetings.meeting_edit, name="meeting_edit"),
    path("<int:pk>/cancel/", views_meetings.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/held/", views_meetings.meeting_held, name="meeting_held"),
    path("<int:pk>/attendance/", views_meetings.meeting_attendance, name="meeting_attendance"),
    path("<int:pk>/respond/", views_meetings.meeting_respond, name="meeting_respond"),
    path("<int:pk>/invite/", views_invitations.meeting_invite, name="meeting_invite"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views_invitations.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<int:pk>/send-agenda/", views_agenda.meeting_send_agenda, name="meeting_send_agenda"),
    path("<int:pk>/documents/new/", views_documents.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views_documents.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        views_documents.document_remove,
        name="document_remove",
    ),
    path("<int:pk>/agenda/new/", views_agenda.item_create, name="item_create"),
    path("<int:pk>/agenda/propose/", views_agenda.item_propose, name="item_propose"),
    path("<int:pk>/agenda/<int:item_pk>/accept/", views_agenda.item_accept, name="item_accept"),
    path("<int:pk>/agenda/<int:item_pk>/decline/", views_agenda.item_decline, name="item_decline"),
    path("<int:pk>/agenda/<int:item_pk>/edit/", views_agenda.item_edit, name="item_edit"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views_agenda.item_move, name="item_move"),
]
