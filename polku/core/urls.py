from django.urls import path

from polku.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.section, {"key": "directory"}, name="directory"),
    path("administration/", views.section, {"key": "administration"}, name="administration"),
    # Before the statistics app's own URLs, which start below this address.
    path("statistics/", views.section, {"key": "statistics"}, name="statistics"),
]
