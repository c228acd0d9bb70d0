"""The demo's annual report: the latest year whose returns are all accepted, generated,
published by the coordinator, with the national rapporteur's commentary beside it.

Needs the actors' and the statistics returns' demo loaded first. Running it again adds
nothing once that year has a published report.
"""

from polku.accounts.models import User
from polku.reporting import services
from polku.reporting.choices import ReportStatus
from polku.reporting.models import AnnualReport, RapporteurCommentary
from polku.statistics import selectors_returns

COMMENTARY = (
    "The figures show more victims of labour exploitation than of sexual exploitation, as "
    "in the years before. Few cases reach a conviction: the criminal-justice chain needs "
    "more investigators who know labour exploitation, and victims need help that does not "
    "depend on a criminal process.",
    "Luvut osoittavat aiempien vuosien tapaan enemmän työperäisen kuin seksuaalisen "
    "hyväksikäytön uhreja. Harva tapaus päätyy tuomioon: rikosprosessiketju tarvitsee "
    "lisää työperäiseen hyväksikäyttöön perehtyneitä tutkijoita, ja uhrit tarvitsevat apua, "
    "joka ei riipu rikosprosessista.",
)


def latest_complete_year() -> int | None:
    """The latest year in which every organisation that reports has its return accepted."""
    for year in reversed(selectors_returns.accepted_years()):
        coverage = selectors_returns.year_coverage(year=year)
        if coverage and all(entry.accepted for entry in coverage):
            return year
    return None


def load() -> dict[str, int]:
    """Generates and publishes the demo report; returns what it created."""
    created = {"reports": 0, "published": 0, "commentaries": 0}
    coordinator = User.objects.filter(username="coordinator").first()
    year = latest_complete_year()
    if coordinator is None or year is None:
        return created
    report = (
        AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    if report is None:
        report = AnnualReport.objects.filter(year=year, status=ReportStatus.READY).first()
        if report is None:
            report = services.report_generate_start(actor=coordinator, year=year)
            # Written here rather than left to the worker, so the demo starts with it; the
            # queued task then finds it done and skips it.
            services.report_generate_execute(report_id=report.pk)
            report.refresh_from_db()
            created["reports"] += 1
        if report.status != ReportStatus.READY:
            return created
        services.report_publish(actor=coordinator, report=report)
        created["published"] += 1
    rapporteur = User.objects.filter(username="rapporteur").first()
    if rapporteur is not None and not RapporteurCommentary.objects.filter(report=report).exists():
        services.commentary_save(
            actor=rapporteur,
            report=report,
            text=COMMENTARY[0],
            text_fi=COMMENTARY[1],
            text_sv="",
            publish=True,
        )
        created["commentaries"] += 1
    return created


def summary(created: dict[str, int]) -> list[str]:
    return ["Demo annual report: " + ", ".join(f"{n} {name}" for name, n in created.items()) + "."]
