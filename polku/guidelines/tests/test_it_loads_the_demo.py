"""The demo guidelines load through the services, in every state, and only once."""

import pytest

from polku.actors import demo as actors_demo
from polku.guidelines import demo, selectors
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Comment, Consultation, Guideline, GuidelineVersion
from polku.voice import demo as voice_demo
from polku.voice.models import Outcome

S = GuidelineStatus


@pytest.mark.django_db
def test_it_loads_the_demo_guidelines_once() -> None:
    """Every state is shown, one guideline has a full consultation report, a rerun adds nothing."""
    actors_demo.load()
    voice_demo.load()
    first = demo.load()
    assert first["guidelines"] == len(demo.GUIDELINES) >= 5
    statuses = set(Guideline.objects.values_list("status", flat=True))
    assert statuses == {
        S.DRAFT,
        S.CONSULTATION,
        S.APPROVED,
        S.PUBLISHED,
        S.SUPERSEDED,
        S.WITHDRAWN,
    }
    full = Guideline.objects.get(title="Identifying and referring presumed victims of trafficking")
    assert full.status == S.PUBLISHED
    assert full.language_list == ["en", "fi"]
    consultation = Consultation.objects.get(guideline=full)
    report = selectors.consultation_report(consultation=consultation)
    assert report.total >= 7
    assert report.unanswered == 0
    assert set(report.counts) == {"accepted", "partly", "not_accepted"}
    assert len(report.statements) == 1
    assert consultation.report_published_at is not None
    assert Outcome.objects.filter(kind="guideline", link_id=str(full.pk)).exists()
    old = Guideline.objects.get(title__endswith="(2019)")
    assert old.status == S.SUPERSEDED
    assert old.superseded_by == full
    counts = (
        Guideline.objects.count(),
        GuidelineVersion.objects.count(),
        Comment.objects.count(),
    )
    assert demo.load() == {"guidelines": 0, "comments": 0}
    assert (
        Guideline.objects.count(),
        GuidelineVersion.objects.count(),
        Comment.objects.count(),
    ) == counts
