"""Loads the demo configuration: Finland's structure with fictional people, and each app's demo.

Every app may have a ``demo`` module with ``load()`` (creates what is missing, returns what
it created), ``summary(result)`` (the lines to print) and ``closing()`` (lines printed after
all demos, such as the logins). They are found and run in the
order of INSTALLED_APPS, which is the order of the loop — people before challenges, returns
before the report on them — so this command names no app above the platform.
"""

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def demo_modules() -> Iterator[ModuleType]:
    """Each installed app's ``demo`` module, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        if hasattr(module, "load"):
            yield module


class Command(BaseCommand):
    help = "Loads the demo configuration (needs POLKU_DEMO=1; refused on production settings)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.POLKU_DEMO:
            raise CommandError("Demo data is loaded only when POLKU_DEMO=1 is set.")
        if not settings.DEBUG and not settings.POLKU_DEMO_ALLOW_WITHOUT_DEBUG:
            raise CommandError(
                "Refusing to load demo data with POLKU_DEBUG off. Set "
                "POLKU_DEMO_ALLOW_WITHOUT_DEBUG=1 if this really is a demonstration site."
            )
        closing: list[str] = []
        for module in demo_modules():
            result = module.load()
            lines = module.summary(result) if hasattr(module, "summary") else [str(result)]
            for line in lines:
                self.stdout.write(line)
            if hasattr(module, "closing"):
                closing += module.closing()
        for line in closing:
            self.stdout.write(line)
