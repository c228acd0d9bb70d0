from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "polku.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Each app's api.py registers the scopes its endpoints need, so token forms and
        # services know every scope even in processes that never load the URL map.
        autodiscover_modules("api")
