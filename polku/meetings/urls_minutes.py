"""Minutes and decisions: the meeting's record, its versions, and the decisions log."""

from django.urls import URLPattern, URLResolver, path

from polku.meetings import views_minutes

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/minutes/", views_minutes.minutes_detail, name="minutes_detail"),
    path("<int:pk>/minutes/edit/", views_minutes.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/circulate/", views_minutes.minutes_circulate, name="minutes_circulate"),
    path("<int:pk>/minutes/comment/", views_minutes.minutes_comment, name="minutes_comment"),
    path("<int:pk>/minutes/approve/", views_minutes.minutes_approve, name="minutes_approve"),
    path("<int:pk>/minutes/publish/", views_minutes.minutes_publish, name="minutes_publish"),
    path("<int:pk>/minutes/versions/", views_minutes.minutes_versions, name="minutes_versions"),
    path("<int:pk>/minutes/diff/", views_minutes.minutes_diff, name="minutes_diff"),
    path("items/<int:pk>/decide/", views_minutes.decision_create, name="decision_create"),
    path("bodies/<int:pk>/decisions/", views_minutes.decision_list, name="decision_list"),
]
