"""Reporting's URLs: national tables, the annual report and the public statistics."""

from django.urls import URLPattern, URLResolver

app_name = "reporting"

urlpatterns: list[URLPattern | URLResolver] = []
