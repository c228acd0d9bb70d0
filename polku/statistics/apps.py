from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "polku.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from polku.core.designations import RETURN_VALIDATOR, register_designation
        from polku.statistics.permissions_returns import is_validator

        # A designated validator holds no statistics role, yet validates returns: the
        # navigation offers them the returns through this.
        register_designation(RETURN_VALIDATOR, is_validator)
