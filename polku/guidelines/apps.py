from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelinesConfig(AppConfig):
    name = "polku.guidelines"
    label = "guidelines"
    verbose_name = _("Guidelines")

    def ready(self) -> None:
        from polku.core.scopes import register_scope
        from polku.guidelines.permissions import guideline_scope

        # Agenda items and other links by type and id see a guideline only through this.
        register_scope("guidelines.guideline", guideline_scope)
