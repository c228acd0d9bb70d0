"""The demo challenges load through the services, in three languages, and only once."""

import pytest

from polku.actors import demo as actors_demo
from polku.voice import demo, services
from polku.voice.models import Challenge, Comment, Endorsement


@pytest.mark.django_db
def test_it_loads_the_demo_challenges_once() -> None:
    """A second run adds nothing; the first gives a working follow-up code."""
    actors_demo.load()
    first = demo.load()
    assert first["challenges"] == len(demo.CHALLENGES) >= 30
    assert Challenge.objects.filter(is_protected=True).count() >= 5
    assert set(Challenge.objects.values_list("language", flat=True)) == {"en", "fi", "sv"}
    assert len(set(Challenge.objects.values_list("status", flat=True))) >= 6
    assert Endorsement.objects.exists() and Comment.objects.exists()
    code = str(first["followup_code"])
    assert services.followup_open(code=code) is not None
    counts = (Challenge.objects.count(), Endorsement.objects.count(), Comment.objects.count())
    assert demo.load() == {"challenges": 0, "followup_code": ""}
    assert (Challenge.objects.count(), Endorsement.objects.count(), Comment.objects.count()) == (
        counts
    )
