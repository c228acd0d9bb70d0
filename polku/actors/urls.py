from django.urls import path

from polku.actors import views

app_name = "actors"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_update, name="organisation_update"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),
    path("people/<int:pk>/two-step/reset/", views.person_mfa_reset, name="person_mfa_reset"),
    path("people/<int:pk>/memberships/", views.membership_add, name="membership_add"),
    path(
        "people/<int:pk>/memberships/<int:membership_pk>/confirm/",
        views.membership_confirm,
        name="membership_confirm",
    ),
    path(
        "people/<int:pk>/memberships/<int:membership_pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_update, name="body_update"),
    path("bodies/<int:pk>/members/", views.body_member_add, name="body_member_add"),
    path(
        "bodies/<int:pk>/members/<int:member_pk>/remove/",
        views.body_member_remove,
        name="body_member_remove",
    ),
]
