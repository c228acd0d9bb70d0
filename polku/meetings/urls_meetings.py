"""Meetings, invitations, agendas, papers and the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from polku.meetings import views_meetings as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("<int:pk>/respond/", views.meeting_respond, name="meeting_respond"),
    path("<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<int:pk>/send-agenda/", views.meeting_send_agenda, name="meeting_send_agenda"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path("<int:pk>/agenda/new/", views.item_create, name="item_create"),
    path("<int:pk>/agenda/propose/", views.item_propose, name="item_propose"),
    path("<int:pk>/agenda/<int:item_pk>/accept/", views.item_accept, name="item_accept"),
    path("<int:pk>/agenda/<int:item_pk>/decline/", views.item_decline, name="item_decline"),
    path("<int:pk>/agenda/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.item_move, name="item_move"),
]
