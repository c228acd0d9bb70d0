from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "polku.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from polku.reporting import checks

        checks.register_checks()
