"""Polku's URL map: one include per app."""

from django.contrib import admin
from django.urls import include, path

from config.api import api
from polku.core import views as core_views

urlpatterns = [
    path("", include("polku.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("polku.accounts.urls")),
    path("actors/", include("polku.actors.urls")),
    path("audit/", include("polku.audit.urls")),
    path("voice/", include("polku.voice.urls")),
    path("meetings/", include("polku.meetings.urls")),
    path("guidelines/", include("polku.guidelines.urls")),
    path("reports/", include("polku.reporting.urls")),
    path("statistics/", include("polku.statistics.urls")),
    path("notifications/", include("polku.notifications.urls")),
    path("api-tokens/", include("polku.api.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "polku.core.views.permission_denied"
handler404 = "polku.core.views.page_not_found"
handler500 = "polku.core.views.server_error"
