"""Actions and bodies' pages: follow-up of what was decided, and a body's work at a glance."""

from django.urls import URLPattern, URLResolver, path

from polku.meetings import views_actions, views_bodies

urlpatterns: list[URLPattern | URLResolver] = [
    path("items/<int:pk>/actions/new/", views_actions.action_create, name="action_create"),
    path("actions/mine/", views_actions.my_actions, name="my_actions"),
    path("actions/<int:pk>/", views_actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views_actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/progress/", views_actions.action_note, name="action_note"),
    path("bodies/<int:pk>/actions/", views_actions.body_actions, name="body_actions"),
    path("bodies/<int:pk>/actions/review/", views_actions.action_review, name="action_review"),
    path("bodies/<int:pk>/", views_bodies.body_work, name="body_work"),
]
