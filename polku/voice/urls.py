from django.urls import include, path

from polku.voice import views, views_dashboard, views_similar

app_name = "voice"
urlpatterns = [
    path("", views.challenge_list, name="challenge_list"),
    path("", include("polku.voice.urls_inbox")),
    path("mine/", views.challenge_mine, name="challenge_mine"),
    path("new/", views.challenge_create, name="challenge_create"),
    path("follow-up/", views.followup, name="followup"),
    path("similar/", views_similar.similar, name="similar"),
    path("dashboard/", views_dashboard.dashboard_view, name="dashboard"),
    path("<uuid:pk>/", views.challenge_detail, name="challenge_detail"),
    path("<uuid:pk>/edit/", views.challenge_edit, name="challenge_edit"),
    path("<uuid:pk>/delete/", views.challenge_delete, name="challenge_delete"),
    path("<uuid:pk>/endorse/", views.challenge_endorse, name="challenge_endorse"),
    path("<uuid:pk>/withdraw/", views.challenge_withdraw, name="challenge_withdraw"),
    path("<uuid:pk>/follow/", views.challenge_follow, name="challenge_follow"),
    path("<uuid:pk>/comments/", views.comment_add, name="comment_add"),
    path("<uuid:pk>/comments/<uuid:comment_pk>/hide/", views.comment_hide, name="comment_hide"),
    path("<uuid:pk>/status/", views.challenge_transition, name="challenge_transition"),
    path("<uuid:pk>/answer/", views.challenge_answer, name="challenge_answer"),
    path("<uuid:pk>/owner/", views.challenge_assign, name="challenge_assign"),
]
