"""Guidelines' URLs: the library, each guideline's stable address and its consultation rounds."""

from django.urls import URLPattern, URLResolver, path

from polku.guidelines import views

app_name = "guidelines"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/", views.guideline_detail, name="guideline_detail"),
    path(
        "<slug:slug>/consultations/<int:pk>/",
        views.consultation_detail,
        name="consultation_detail",
    ),
]
