"""Statistics' URLs: estimates, the authorities' returns, and national tables and reports."""

from django.urls import include, path

app_name = "statistics"

urlpatterns = [
    path("", include("polku.statistics.urls_estimates")),
    path("", include("polku.statistics.urls_returns")),
    path("", include("polku.statistics.urls_tables")),
]
