"""Estimates: Multiple Systems Estimation runs under ``estimates/``."""

from django.urls import URLPattern, URLResolver, path

from polku.statistics import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("estimates/", views.estimate_list, name="estimate_list"),
    path("estimates/new/", views.estimate_create, name="estimate_create"),
    path(
        "estimates/example.csv",
        views.estimate_template,
        name="estimate_template",
    ),
    path("estimates/<int:pk>/", views.estimate_detail, name="estimate_detail"),
    path("estimates/<int:pk>/table/", views.estimate_table, name="estimate_table"),
    path("estimates/<int:pk>/table.csv", views.estimate_table_csv, name="estimate_table_csv"),
    path("estimates/<int:pk>/again/", views.estimate_rerun, name="estimate_rerun"),
    path("estimates/<int:pk>/compare/", views.estimate_compare, name="estimate_compare"),
    path("estimates/<int:pk>/accept/", views.estimate_accept, name="estimate_accept"),
    path("estimates/<int:pk>/withdraw/", views.estimate_withdraw, name="estimate_withdraw"),
    path("estimates/<int:pk>/delete/", views.estimate_delete, name="estimate_delete"),
]
