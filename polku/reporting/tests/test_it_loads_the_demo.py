"""The demo publishes the annual report of the latest year whose returns are all accepted,
with the rapporteur's commentary; loading it again adds nothing."""

import pytest

from polku.actors import demo as actors_demo
from polku.reporting import demo, documents
from polku.reporting.choices import ReportStatus
from polku.reporting.models import AnnualReport, RapporteurCommentary
from polku.reporting.tests.conftest import STAND_IN_PDF
from polku.statistics import demo_returns

pytestmark = pytest.mark.django_db


def test_it_publishes_the_latest_complete_year_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "render_pdf", lambda **kwargs: STAND_IN_PDF)
    actors_demo.load()
    demo_returns.load()
    # 2025 still has returns in every state, so 2024 is the latest complete year.
    assert demo.latest_complete_year() == 2024
    assert demo.load() == {"reports": 1, "published": 1, "commentaries": 1}
    report = AnnualReport.objects.get()
    assert (report.year, report.status) == (2024, ReportStatus.PUBLISHED)
    assert report.data["coverage"]["missing"] == []
    assert RapporteurCommentary.objects.get(report=report).is_published
    assert demo.load() == {"reports": 0, "published": 0, "commentaries": 0}
    assert AnnualReport.objects.count() == 1


def test_it_loads_nothing_without_accepted_returns() -> None:
    actors_demo.load()
    assert demo.load() == {"reports": 0, "published": 0, "commentaries": 0}
