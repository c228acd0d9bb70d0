"""Reporting's URLs: national tables, the annual report and the public statistics."""

from django.urls import URLPattern, URLResolver, path

from polku.reporting import views

app_name = "reporting"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="report_list"),
    path("public/", views.public_statistics, name="public_statistics"),
    path("generate/", views.report_generate, name="report_generate"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("<int:pk>/commentary/", views.commentary_edit, name="commentary_edit"),
    path("<int:pk>/pdf/<str:language>/", views.report_pdf, name="report_pdf"),
    path(
        "<int:pk>/data/<str:language>.<str:file_format>",
        views.report_data,
        name="report_data",
    ),
    path("tables/", views.national_tables, name="national_tables"),
    path(
        "tables/download.<str:file_format>",
        views.national_table_download,
        name="national_table_download",
    ),
    path("templates/", views.output_list, name="output_list"),
    path("templates/<slug:code>/", views.output_detail, name="output_detail"),
    path(
        "templates/<slug:code>/download.<str:file_format>",
        views.output_download,
        name="output_download",
    ),
]
