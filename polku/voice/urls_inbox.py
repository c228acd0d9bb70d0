"""The secretariat's inbox and the merge page, in the `voice` namespace."""

from django.urls import path

from polku.voice import views_inbox

urlpatterns = [
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/assign/", views_inbox.inbox_assign, name="inbox_assign"),
    path("<uuid:pk>/merge/", views_inbox.challenge_merge, name="challenge_merge"),
]
