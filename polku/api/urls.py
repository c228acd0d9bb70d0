from django.urls import path

from polku.api import views

app_name = "api"
urlpatterns = [
    path("", views.token_list, name="token_list"),
    path("new/", views.token_create, name="token_create"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
