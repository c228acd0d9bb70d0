"""Fixtures the core tests share."""

import pytest
from django.test import Client

from conftest import Personas


@pytest.fixture
def superuser_client(personas: Personas) -> Client:
    """The administrator persona as a superuser with staff access, signed in to the admin."""
    personas.admin.is_staff = True
    personas.admin.is_superuser = True
    personas.admin.save()
    client = Client()
    client.force_login(personas.admin)
    return client
