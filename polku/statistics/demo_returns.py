"""Five years of fictional returns from the main authorities, made through the services.

The figures are invented but of the size Finland's authorities report: the assistance
system's yearly admissions follow its published totals, the police's investigations the
growth the National Bureau of Investigation has described. Every indicator has its
national source: the assistance system for victims, the police for suspects and
investigations, the prosecution for prosecutions and convictions, the Finnish Immigration
Service for residence permits. The population is Statistics
Finland's (see docs/adr/0016-statistics-returns.md). The latest year is in every state.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Membership, Organisation
from polku.actors.services import membership_add
from polku.audit.services import audit_write
from polku.statistics.choices_returns import Dimension, FigureSource, ReturnStatus
from polku.statistics.models import (
    Indicator,
    Population,
    ReportingAssignment,
    Return,
    ReturnEvent,
    ReturnValidator,
)
from polku.statistics.services.indicators import (
    PopulationFigures,
    assignment_add,
    assignment_set_national_source,
    population_record,
)
from polku.statistics.services.returns import (
    return_accept,
    return_save_figures,
    return_send_back,
    return_start,
    return_submit,
    return_validate,
    validator_designate,
)
from polku.statistics.validation import Entry

DEMO_PASSWORD = "polku-demo"  # noqa: S105 - the actors demo's published demo password
FIRST_YEAR = 2021
LAST_YEAR = 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)

# (year, total, males, females, source): Statistics Finland, population on 31 December.
POPULATION = [
    (2015, 5487308, 2701490, 2785818),
    (2016, 5503297, 2712327, 2790970),
    (2017, 5513130, 2719131, 2793999),
    (2018, 5517919, 2723290, 2794629),
    (2019, 5525292, 2728262, 2797030),
    (2020, 5533793, 2733808, 2799985),
    (2021, 5548241, 2743101, 2805140),
    (2022, 5563970, 2753477, 2810493),
    (2023, 5603851, 2773898, 2829953),
    (2024, 5635971, None, None),
]
POPULATION_SOURCE = "Statistics Finland, population structure (31 December)"

Shares = dict[str, float]

VICTIM_SHARES: dict[str, Shares] = {
    Dimension.SEX: {"female": 0.56, "male": 0.43, "unknown": 0.01},
    Dimension.AGE_GROUP: {"child": 0.1, "adult": 0.89, "unknown": 0.01},
    Dimension.CITIZENSHIP: {"national": 0.06, "other_eu": 0.08, "non_eu": 0.84, "unknown": 0.02},
    Dimension.EXPLOITATION_FORM: {
        "forced_labour": 0.47,
        "sexual_exploitation": 0.2,
        "forced_marriage": 0.21,
        "forced_criminality": 0.05,
        "forced_begging": 0.02,
        "other": 0.05,
    },
}
BANDS: Shares = {
    "0_11": 0.03,
    "12_17": 0.07,
    "18_24": 0.2,
    "25_34": 0.33,
    "35_44": 0.21,
    "45_54": 0.1,
    "55_plus": 0.05,
    "unknown": 0.01,
}
OFFENDER_SHARES: dict[str, Shares] = {
    Dimension.SEX: {"female": 0.22, "male": 0.78},
    Dimension.AGE_GROUP: {"adult": 0.98, "unknown": 0.02},
    Dimension.CITIZENSHIP: {"national": 0.36, "other_eu": 0.14, "non_eu": 0.48, "unknown": 0.02},
}
INVESTIGATION_SHARES: dict[str, Shares] = {
    Dimension.EXPLOITATION_FORM: {
        "forced_labour": 0.55,
        "sexual_exploitation": 0.24,
        "forced_marriage": 0.1,
        "forced_criminality": 0.06,
        "other": 0.05,
    }
}
PERMIT_SHARES: dict[str, Shares] = {
    Dimension.SEX: {"female": 0.58, "male": 0.42},
    Dimension.AGE_GROUP: {"child": 0.08, "adult": 0.92},
    Dimension.CITIZENSHIP: {"non_eu": 1.0},
    Dimension.COUNTRY: {
        "TH": 0.24,
        "UA": 0.15,
        "NG": 0.12,
        "VN": 0.1,
        "SY": 0.08,
        "IQ": 0.08,
        "CN": 0.07,
        "PH": 0.07,
        "unknown": 0.09,
    },
}


@dataclass(frozen=True)
class DemoSeries:
    indicator: str
    totals: tuple[int, ...]  # one per year from FIRST_YEAR
    shares: dict[str, Shares]
    bands: bool = False
    national_source: bool = False  # this organisation's count is the national figure


@dataclass(frozen=True)
class DemoReporter:
    organisation: str  # English name, as in the actors demo
    provider: tuple[str, str, str, str]  # username, first name, last name, job title
    validator: tuple[str, str, str, str]
    series: tuple[DemoSeries, ...]
    latest: str = ReturnStatus.ACCEPTED
    comments: str = ""


REPORTERS = [
    DemoReporter(
        "National Police Board",
        ("dataprovider", "Tiina", "Koskinen", "Statistician"),
        ("h.rautio", "Heikki", "Rautio", "Head of Analysis"),
        (
            DemoSeries("registered_victims", (142, 188, 259, 231, 248), VICTIM_SHARES),
            DemoSeries("presumed_victims_referred", (71, 96, 121, 104, 112), VICTIM_SHARES),
            DemoSeries("suspects", (61, 84, 118, 109, 114), OFFENDER_SHARES, national_source=True),
            DemoSeries(
                "investigations_opened",
                (181, 240, 392, 331, 309),
                INVESTIGATION_SHARES,
                national_source=True,
            ),
        ),
        latest=ReturnStatus.DRAFT,
    ),
    DemoReporter(
        "Finnish Border and Coast Guard",
        ("m.lindholm", "Maria", "Lindholm", "Senior Analyst"),
        ("j.saari", "Jussi", "Saari", "Head of Criminal Intelligence"),
        (
            DemoSeries("registered_victims", (12, 16, 21, 14, 18), VICTIM_SHARES),
            DemoSeries("presumed_victims_referred", (10, 13, 15, 11, 14), VICTIM_SHARES),
            DemoSeries("suspects", (5, 8, 6, 9, 7), OFFENDER_SHARES),
        ),
        latest=ReturnStatus.SUBMITTED,
    ),
    DemoReporter(
        "National Prosecution Authority",
        ("r.heino", "Riitta", "Heino", "Information Specialist"),
        ("e.nurmi", "Elina", "Nurmi", "District Prosecutor"),
        (
            DemoSeries("prosecuted", (24, 31, 41, 37, 44), OFFENDER_SHARES, national_source=True),
            DemoSeries("convicted", (11, 15, 19, 18, 23), OFFENDER_SHARES, national_source=True),
        ),
        latest=ReturnStatus.RETURNED,
        comments=(
            "The prosecutions by citizenship add up, but 2025 counts three persons charged "
            "only with extortionate work discrimination. Count trafficking charges only, as "
            "in earlier years."
        ),
    ),
    DemoReporter(
        "Occupational Safety and Health Authority",
        ("s.koski", "Sari", "Koski", "Senior Inspector, Statistics"),
        ("a.berg", "Anders", "Berg", "Senior Inspector"),
        (DemoSeries("presumed_victims_referred", (34, 47, 63, 55, 61), VICTIM_SHARES),),
    ),
    DemoReporter(
        "Assistance System for Victims of Human Trafficking",
        ("p.mattila", "Pirjo", "Mattila", "Statistics Coordinator"),
        ("r.koivisto", "Riikka", "Koivisto", "Senior Adviser"),
        (
            # The assistance system counts each person once, whoever identified or referred
            # them, so its counts are the national figures of victims.
            DemoSeries(
                "registered_victims",
                (236, 352, 318, 243, 261),
                VICTIM_SHARES,
                bands=True,
                national_source=True,
            ),
            DemoSeries(
                "presumed_victims_referred",
                (262, 394, 351, 229, 259),
                VICTIM_SHARES,
                bands=True,
                national_source=True,
            ),
            DemoSeries(
                "assistance_admitted",
                (243, 367, 326, 207, 238),
                VICTIM_SHARES,
                bands=True,
                national_source=True,
            ),
        ),
        latest=ReturnStatus.VALIDATED,
    ),
    DemoReporter(
        "Finnish Immigration Service",
        ("a.kallio", "Antti", "Kallio", "Statistician"),
        ("l.virta", "Leena", "Virta", "Head of Unit"),
        (
            DemoSeries(
                "residence_permits", (44, 61, 72, 57, 66), PERMIT_SHARES, national_source=True
            ),
        ),
    ),
]


def split(total: int, shares: Shares) -> dict[str, int]:
    """Whole numbers in the given shares that add up to the total (largest remainders)."""
    weight = sum(shares.values())
    exact = {code: total * share / weight for code, share in shares.items()}
    counts = {code: int(value) for code, value in exact.items()}
    left = total - sum(counts.values())
    for code in sorted(exact, key=lambda code: exact[code] - counts[code], reverse=True)[:left]:
        counts[code] += 1
    return counts


def entries_for(reporter: DemoReporter, year: int, *, complete: bool = True) -> list[Entry]:
    """A year's figures for one reporter, as the entries a CSV upload would give."""
    entries: list[Entry] = []
    index = year - FIRST_YEAR
    for series in reporter.series:
        total = series.totals[index]
        entries.append(Entry(series.indicator, "", "", str(total), row=str(len(entries) + 2)))
        if not complete:
            continue
        breakdowns = dict(series.shares)
        if series.bands:
            breakdowns[Dimension.AGE_BAND] = BANDS
        for dimension, shares in breakdowns.items():
            for category, value in split(total, shares).items():
                entries.append(
                    Entry(
                        series.indicator,
                        dimension,
                        category,
                        str(value),
                        row=str(len(entries) + 2),
                    )
                )
    return entries


def _person(
    details: tuple[str, str, str, str], organisation: Organisation, admin: User | None
) -> User:
    username, first_name, last_name, title = details
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "job_title": title,
            "email": f"{username}@demo.polku.invalid",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        assert admin is not None
        membership_add(
            actor=admin, user=user, organisation=organisation, role=Role.DATA_PROVIDER, title=title
        )
    return user


def _backdate(statistics_return: Return, year: int) -> None:
    """Sets the steps of an old year's return to the spring after it."""
    base = timezone.make_aware(datetime.datetime(year + 1, 2, 10, 10, 0))
    moments = {
        "created": base,
        "uploaded": base + datetime.timedelta(days=1),
        "submitted": base + datetime.timedelta(days=3),
        "validated": base + datetime.timedelta(days=10),
        "accepted": base + datetime.timedelta(days=24),
    }
    Return.objects.filter(pk=statistics_return.pk).update(
        submitted_at=moments["submitted"],
        validated_at=moments["validated"],
        accepted_at=moments["accepted"],
        created_at=moments["created"],
        updated_at=moments["accepted"],
    )
    for kind, moment in moments.items():
        ReturnEvent.objects.filter(statistics_return=statistics_return, kind=kind).update(
            created_at=moment
        )


@transaction.atomic
def load() -> dict[str, int]:
    """Creates the demo returns that are missing; running it twice adds nothing."""
    created = {"population_years": 0, "assignments": 0, "validators": 0, "returns": 0}
    existing_years = set(Population.objects.values_list("year", flat=True))
    for year, total, males, females in POPULATION:
        if year in existing_years:
            continue
        population_record(
            actor=None,
            system=True,
            year=year,
            figures=PopulationFigures(
                total=total, males=males, females=females, source=POPULATION_SOURCE
            ),
        )
        created["population_years"] += 1

    coordinator = User.objects.filter(username="coordinator").first()
    admin = User.objects.filter(username="admin").first()
    if coordinator is None:
        return created
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for reporter in REPORTERS:
        organisation = Organisation.objects.filter(name=reporter.organisation).first()
        if organisation is None:
            continue
        provider = _person(reporter.provider, organisation, admin)
        validator = _person(reporter.validator, organisation, admin)
        if not ReturnValidator.objects.filter(
            organisation=organisation, user=validator, is_active=True
        ).exists():
            validator_designate(actor=coordinator, organisation=organisation, user=validator)
            created["validators"] += 1
        for series in reporter.series:
            indicator = indicators[series.indicator]
            assignment = ReportingAssignment.objects.filter(
                organisation=organisation, indicator=indicator
            ).first()
            if assignment is None:
                assignment_add(
                    actor=None,
                    system=True,
                    organisation=organisation,
                    indicator=indicator,
                    from_year=FIRST_YEAR,
                    is_national_source=series.national_source,
                )
                created["assignments"] += 1
            elif series.national_source and not assignment.is_national_source:
                # A demo loaded before national sources existed gets them designated.
                assignment_set_national_source(
                    actor=None, system=True, assignment=assignment, is_national_source=True
                )
        for year in YEARS:
            if Return.objects.filter(organisation=organisation, year=year).exists():
                continue
            _load_return(reporter, organisation, year, provider, validator, coordinator)
            created["returns"] += 1
    audit_write(actor=None, action="statistics.demo.load", detail=created)
    return created


def _load_return(
    reporter: DemoReporter,
    organisation: Organisation,
    year: int,
    provider: User,
    validator: User,
    coordinator: User,
) -> None:
    status = reporter.latest if year == LAST_YEAR else ReturnStatus.ACCEPTED
    statistics_return = return_start(actor=provider, organisation=organisation, year=year)
    return_save_figures(
        actor=provider,
        statistics_return=statistics_return,
        entries=entries_for(reporter, year, complete=status != ReturnStatus.DRAFT),
        source=FigureSource.UPLOAD,
    )
    if status == ReturnStatus.DRAFT:
        return
    return_submit(actor=provider, statistics_return=statistics_return, confirm_warnings=True)
    if status == ReturnStatus.SUBMITTED:
        return
    if status == ReturnStatus.RETURNED:
        return_send_back(
            actor=validator, statistics_return=statistics_return, comments=reporter.comments
        )
        return
    return_validate(actor=validator, statistics_return=statistics_return)
    if status == ReturnStatus.VALIDATED:
        return
    return_accept(actor=coordinator, statistics_return=statistics_return)
    if year < LAST_YEAR:
        _backdate(statistics_return, year)


DEMO_LOGINS = [
    (reporter.provider[0], reporter.provider[3], reporter.organisation) for reporter in REPORTERS
] + [
    (reporter.validator[0], reporter.validator[3], reporter.organisation) for reporter in REPORTERS
]
