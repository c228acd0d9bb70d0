"""Returns under ``returns/``."""

from django.urls import URLPattern, URLResolver, path

from polku.statistics import views_returns as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("returns/", views.return_list, name="return_list"),
    path("returns/new/", views.return_start_view, name="return_start"),
    path("returns/validators/", views.return_validators, name="return_validators"),
    path(
        "returns/validators/<int:pk>/remove/",
        views.return_validator_remove,
        name="return_validator_remove",
    ),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/figures/", views.return_edit, name="return_edit"),
    path("returns/<int:pk>/upload/", views.return_upload, name="return_upload"),
    path("returns/<int:pk>/return.csv", views.return_template, name="return_template"),
    path("returns/<int:pk>/submit/", views.return_submit_view, name="return_submit"),
    path("returns/<int:pk>/validate/", views.return_validate_view, name="return_validate"),
    path("returns/<int:pk>/accept/", views.return_accept_view, name="return_accept"),
    path("returns/<int:pk>/send-back/", views.return_send_back_view, name="return_send_back"),
    path("returns/<int:pk>/revise/", views.return_revise_view, name="return_revise"),
]
