"""`demo_load` puts every app's demo in place in an order that keeps histories consistent."""

import io

import pytest
from django.core.management import call_command

from polku.audit.selectors import chain_verify
from polku.guidelines.models import Guideline
from polku.meetings.models import Decision, Meeting
from polku.voice.choices import OutcomeKind
from polku.voice.models import Challenge, Outcome


@pytest.mark.django_db
def test_it_loads_every_demo_once_with_the_audit_chain_whole(settings: object) -> None:
    settings.POLKU_DEMO = True  # type: ignore[attr-defined]
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("demo_load", stdout=io.StringIO())
    counts = (
        Challenge.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count(),
        Guideline.objects.count(),
        Outcome.objects.count(),
    )
    assert all(counts), counts
    assert Outcome.objects.filter(kind=OutcomeKind.DECISION).exists()
    assert Outcome.objects.filter(kind=OutcomeKind.GUIDELINE).exists()

    second = io.StringIO()
    call_command("demo_load", stdout=second)
    assert "Demo challenges created: 0." in second.getvalue()
    assert "Demo guidelines created: 0 " in second.getvalue()
    assert counts == (
        Challenge.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count(),
        Guideline.objects.count(),
        Outcome.objects.count(),
    )
    assert chain_verify().ok
