"""Statistics' URLs: estimates and the authorities' returns."""

from django.urls import include, path

app_name = "statistics"

urlpatterns = [
    path("", include("polku.statistics.urls_estimates")),
    path("", include("polku.statistics.urls_returns")),
]
