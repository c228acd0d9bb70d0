from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "polku.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from polku.accounts import checks, handlers

        handlers.connect()
        checks.register_checks()
