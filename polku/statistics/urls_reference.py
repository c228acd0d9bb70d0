"""Indicators under ``indicators/`` and the population under ``population/``.

Included before the returns' URLs, so the pages here serve ``indicators/`` and an
indicator's page, with the keepers' links to change them.
"""

from django.urls import URLPattern, URLResolver, path

from polku.statistics import views_reference as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create_view, name="indicator_create"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path(
        "indicators/<slug:code>/reporters/new/",
        views.assignment_add_view,
        name="assignment_add",
    ),
    path(
        "indicators/<slug:code>/reporters/<int:pk>/end/",
        views.assignment_end_view,
        name="assignment_end",
    ),
    path(
        "indicators/<slug:code>/reporters/<int:pk>/national-source/",
        views.assignment_national_source,
        name="assignment_national_source",
    ),
    path("population/", views.population_list, name="population_list"),
    path("population/new/", views.population_record_view, name="population_record"),
    path("population/<int:year>/", views.population_correct_view, name="population_correct"),
]
