"""Statistics' URLs: estimates, the reference data and the authorities' returns."""

from django.urls import include, path

app_name = "statistics"

urlpatterns = [
    path("", include("polku.statistics.urls_estimates")),
    # Before the returns' URLs: the indicator pages are served from here.
    path("", include("polku.statistics.urls_reference")),
    path("", include("polku.statistics.urls_returns")),
]
