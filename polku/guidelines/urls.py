"""Guidelines' URLs."""

from django.urls import URLPattern, URLResolver

app_name = "guidelines"

urlpatterns: list[URLPattern | URLResolver] = []
