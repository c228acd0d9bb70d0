"""Data providers fill, upload and submit returns; validators validate; the secretariat accepts."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import OrganisationKind
from polku.actors.models import Membership, Organisation
from polku.actors.tests.factories import make_membership, make_organisation, make_user
from polku.audit.models import AuditEvent
from polku.statistics.choices_returns import ReturnEventKind, ReturnStatus
from polku.statistics.models import (
    Indicator,
    ReportingAssignment,
    Return,
    ReturnFigure,
    ReturnValidator,
)
from polku.statistics.services.returns import (
    return_accept,
    return_save_figures,
    return_send_back,
    return_start,
    return_submit,
    return_validate,
)
from polku.statistics.validation import Entry

pytestmark = pytest.mark.django_db

YEAR = 2024

# A complete, consistent return of the two indicators every test organisation reports.
GOOD_CSV = """indicator,dimension,category,value
registered_victims,,,10
registered_victims,sex,female,6
registered_victims,sex,male,4
registered_victims,age_group,child,2
registered_victims,age_group,adult,8
registered_victims,citizenship,non_eu,10
registered_victims,exploitation_form,forced_labour,7
registered_victims,exploitation_form,sexual_exploitation,3
suspects,,,4
suspects,sex,male,4
suspects,age_group,adult,4
suspects,citizenship,national,4
"""


def good_entries(victims: int = 10) -> list[Entry]:
    """GOOD_CSV as entries, with the victims scaled to ``victims`` (all female adults)."""
    rows = [
        ("registered_victims", "", "", victims),
        ("registered_victims", "sex", "female", victims),
        ("registered_victims", "age_group", "adult", victims),
        ("registered_victims", "citizenship", "non_eu", victims),
        ("registered_victims", "exploitation_form", "forced_labour", victims),
        ("suspects", "", "", 4),
        ("suspects", "sex", "male", 4),
        ("suspects", "age_group", "adult", 4),
        ("suspects", "citizenship", "national", 4),
    ]
    return [
        Entry(indicator, dimension, category, str(value), row=str(line))
        for line, (indicator, dimension, category, value) in enumerate(rows, start=2)
    ]


@dataclass
class Reporting:
    organisation: Organisation
    other: Organisation
    provider: User
    validator: User
    other_provider: User
    coordinator: User


def set_up_reporting(personas: Personas) -> Reporting:
    """The data provider's organisation and another one both report two indicators; each
    has a designated validator."""
    organisation = Membership.objects.get(user=personas.dataprovider).organisation
    other = make_organisation(name="Border Agency", kind=OrganisationKind.AUTHORITY)
    validator = make_user(username="validator")
    make_membership(user=validator, organisation=organisation, role=Role.DATA_PROVIDER)
    other_provider = make_user(username="provider_b")
    make_membership(user=other_provider, organisation=other, role=Role.DATA_PROVIDER)
    other_validator = make_user(username="validator_b")
    make_membership(user=other_validator, organisation=other, role=Role.DATA_PROVIDER)
    ReturnValidator.objects.create(organisation=organisation, user=validator)
    ReturnValidator.objects.create(organisation=other, user=other_validator)
    for target in (organisation, other):
        for code in ("registered_victims", "suspects"):
            ReportingAssignment.objects.create(
                organisation=target, indicator=Indicator.objects.get(code=code), from_year=2000
            )
    return Reporting(
        organisation=organisation,
        other=other,
        provider=personas.dataprovider,
        validator=validator,
        other_provider=other_provider,
        coordinator=personas.coordinator,
    )


def make_return(
    reporting: Reporting,
    *,
    status: str = ReturnStatus.DRAFT,
    year: int = YEAR,
    victims: int = 10,
    other: bool = False,
) -> Return:
    """A return of the organisation (or the other one) moved to ``status`` by the services."""
    provider = reporting.other_provider if other else reporting.provider
    organisation = reporting.other if other else reporting.organisation
    validator = (
        ReturnValidator.objects.get(organisation=organisation).user
        if other
        else reporting.validator
    )
    statistics_return = return_start(actor=provider, organisation=organisation, year=year)
    return_save_figures(
        actor=provider,
        statistics_return=statistics_return,
        entries=good_entries(victims),
        source="upload",
    )
    if status == ReturnStatus.DRAFT:
        return statistics_return
    return_submit(actor=provider, statistics_return=statistics_return, confirm_warnings=True)
    if status == ReturnStatus.RETURNED:
        return_send_back(actor=validator, statistics_return=statistics_return, comments="Check.")
    if status in (ReturnStatus.VALIDATED, ReturnStatus.ACCEPTED):
        return_validate(actor=validator, statistics_return=statistics_return)
    if status == ReturnStatus.ACCEPTED:
        return_accept(actor=reporting.coordinator, statistics_return=statistics_return)
    statistics_return.refresh_from_db()
    return statistics_return


@pytest.fixture
def reporting(personas: Personas) -> Reporting:
    return set_up_reporting(personas)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_starts_a_return_for_the_providers_organisation(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """Starting makes a draft and opens it; starting again opens the same return."""
    client = client_for("dataprovider")
    data = {"organisation": reporting.organisation.pk, "year": YEAR}
    response = client.post(reverse("statistics:return_start"), data)
    statistics_return = Return.objects.get(organisation=reporting.organisation, year=YEAR)
    assert response.status_code == 302
    assert response["Location"] == statistics_return.get_absolute_url()
    assert statistics_return.status == ReturnStatus.DRAFT
    client.post(reverse("statistics:return_start"), data)
    assert Return.objects.filter(organisation=reporting.organisation).count() == 1


def test_it_refuses_to_start_a_return_for_another_organisation(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """The organisation choice holds only the provider's own organisations."""
    response = client_for("dataprovider").post(
        reverse("statistics:return_start"), {"organisation": reporting.other.pk, "year": YEAR}
    )
    assert response.status_code == 200
    assert not Return.objects.exists()


def test_it_saves_the_cross_table(reporting: Reporting, client_for: ClientFor) -> None:
    """Typed cells become figures; blank cells are figures not given."""
    statistics_return = return_start(
        actor=reporting.provider, organisation=reporting.organisation, year=YEAR
    )
    url = reverse("statistics:return_edit", kwargs={"pk": statistics_return.pk})
    client = client_for("dataprovider")
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="cell__registered_victims__sex__female"' in page.content
    assert b'name="cell__suspects__exploitation_form__forced_labour"' not in page.content
    response = client.post(
        url,
        {
            "cell__registered_victims____": "5",
            "cell__registered_victims__sex__female": "3",
            "cell__registered_victims__sex__male": "2",
            "cell__suspects____": "",
        },
    )
    assert response.status_code == 302
    figures = {
        (figure.indicator.code, figure.dimension, figure.category): figure.value
        for figure in ReturnFigure.objects.filter(statistics_return=statistics_return)
    }
    assert figures == {
        ("registered_victims", "", ""): 5,
        ("registered_victims", "sex", "female"): 3,
        ("registered_victims", "sex", "male"): 2,
    }
    assert statistics_return.events.filter(kind=ReturnEventKind.SAVED).exists()


def test_it_shows_each_problem_on_its_cell_and_saves_nothing(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """A sum that does not add up is shown on the total's cell; nothing is saved."""
    statistics_return = make_return(reporting)
    before = list(statistics_return.figures.values_list("value", flat=True).order_by("pk"))
    response = client_for("dataprovider").post(
        reverse("statistics:return_edit", kwargs={"pk": statistics_return.pk}),
        {
            "cell__registered_victims____": "5",
            "cell__registered_victims__sex__female": "3",
            "cell__suspects__age_group__adult": "x",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "The figures by sex add up to 3, but the total of “Registered victims” is 5." in content
    assert "Enter a whole number, not “x”." in content
    assert 'href="#id_cell__suspects__age_group__adult"' in content
    after = list(statistics_return.figures.values_list("value", flat=True).order_by("pk"))
    assert after == before


def test_it_uploads_a_valid_csv(reporting: Reporting, client_for: ClientFor) -> None:
    """A valid file replaces the figures."""
    statistics_return = return_start(
        actor=reporting.provider, organisation=reporting.organisation, year=YEAR
    )
    response = client_for("dataprovider").post(
        reverse("statistics:return_upload", kwargs={"pk": statistics_return.pk}),
        {"file": SimpleUploadedFile("return.csv", GOOD_CSV.encode(), "text/csv")},
    )
    assert response.status_code == 302
    assert statistics_return.figures.count() == 12
    assert statistics_return.figures.get(indicator__code="suspects", dimension="").value == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (GOOD_CSV.replace("suspects,,,4", "suspects,,,-4"), "Enter 0 or more, not “-4”."),
        (GOOD_CSV.replace("value", "amount"), "value is missing"),
        (GOOD_CSV.replace("suspects,sex,male,4", "suspects,sex"), "This line has 2 fields"),
        (GOOD_CSV.replace("non_eu,10", "martian,10"), "There is no category “martian”"),
        ("\xff\xfe not text", "The file is not UTF-8 text"),
    ],
)
def test_it_changes_nothing_when_an_upload_is_malformed(
    reporting: Reporting, client_for: ClientFor, content: str, message: str
) -> None:
    """A malformed file names the problem and leaves the saved figures as they were."""
    statistics_return = make_return(reporting, victims=7)
    client = client_for("dataprovider")
    before = sorted(statistics_return.figures.values_list("indicator_id", "category", "value"))
    events = statistics_return.events.count()
    audits = AuditEvent.objects.filter(kind=AuditEvent.Kind.WRITE).count()
    data = content.encode("latin-1") if content.startswith("\xff") else content.encode()
    response = client.post(
        reverse("statistics:return_upload", kwargs={"pk": statistics_return.pk}),
        {"file": SimpleUploadedFile("return.csv", data, "text/csv")},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert (
        sorted(statistics_return.figures.values_list("indicator_id", "category", "value")) == before
    )
    assert statistics_return.events.count() == events
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.WRITE).count() == audits


def test_it_names_the_row_and_column_of_an_upload_error(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """The table of problems gives the file's line and the column."""
    statistics_return = return_start(
        actor=reporting.provider, organisation=reporting.organisation, year=YEAR
    )
    bad = GOOD_CSV.replace("suspects,sex,male,4", "suspects,sex,male,4.5")
    response = client_for("dataprovider").post(
        reverse("statistics:return_upload", kwargs={"pk": statistics_return.pk}),
        {"file": SimpleUploadedFile("return.csv", bad.encode(), "text/csv")},
    )
    content = response.content.decode()
    assert "Row 11, column value: Enter a whole number, not “4.5”." in content
    assert not statistics_return.figures.exists()


def test_it_offers_a_template_with_the_saved_figures(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """The template lists every cell of the assigned indicators, saved values filled in."""
    statistics_return = make_return(reporting)
    response = client_for("dataprovider").get(
        reverse("statistics:return_template", kwargs={"pk": statistics_return.pk})
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "indicator,dimension,category,value,label"
    assert "registered_victims,,,10,Registered victims — Total" in lines
    assert any(line.startswith("registered_victims,sex,unknown,,") for line in lines)
    assert any(line.startswith("suspects,age_band,0_11,,") for line in lines)


def test_it_asks_to_confirm_large_jumps_before_submitting(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """A total far from last year's accepted one is a warning the provider confirms."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, year=YEAR - 1, victims=10)
    statistics_return = make_return(reporting, victims=40)
    url = reverse("statistics:return_submit", kwargs={"pk": statistics_return.pk})
    client = client_for("dataprovider")
    page = client.get(url).content.decode()
    assert "“Registered victims” is 40, against 10 in 2023." in page
    refused = client.post(url, {})
    assert refused.status_code == 200
    assert "Confirm that the flagged figures are right." in refused.content.decode()
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.DRAFT
    confirmed = client.post(url, {"confirm_warnings": "on"})
    assert confirmed.status_code == 302
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.SUBMITTED
    assert statistics_return.submitted_by == reporting.provider
    assert statistics_return.confirmed_warnings == [
        "“Registered victims” is 40, against 10 in 2023. Check that the figure is right."
    ]


def test_it_refuses_to_submit_an_incomplete_return(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """Missing totals and breakdowns are listed and the return stays a draft."""
    statistics_return = return_start(
        actor=reporting.provider, organisation=reporting.organisation, year=YEAR
    )
    return_save_figures(
        actor=reporting.provider,
        statistics_return=statistics_return,
        entries=[Entry("registered_victims", "", "", "3", row="2")],
        source="form",
    )
    response = client_for("dataprovider").post(
        reverse("statistics:return_submit", kwargs={"pk": statistics_return.pk}),
        {"confirm_warnings": "on"},
    )
    content = response.content.decode()
    assert "Enter the total of “Suspects”." in content
    assert "Give “Registered victims” by sex" in content
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.DRAFT


def test_it_walks_a_return_to_acceptance(reporting: Reporting, client_for: ClientFor) -> None:
    """Submitted by the provider, validated by the validator, accepted by the coordinator."""
    statistics_return = make_return(reporting)
    pk = {"pk": statistics_return.pk}
    provider = client_for("dataprovider")
    assert provider.post(reverse("statistics:return_submit", kwargs=pk)).status_code == 302
    assert provider.get(reverse("statistics:return_validate", kwargs=pk)).status_code == 403
    validator = _client(reporting.validator)
    response = validator.post(
        reverse("statistics:return_validate", kwargs=pk),
        {"comment": "Checked against the register."},
    )
    assert response.status_code == 302
    assert (
        client_for("secretariat").get(reverse("statistics:return_accept", kwargs=pk)).status_code
        == 200
    )
    assert (
        client_for("coordinator").post(reverse("statistics:return_accept", kwargs=pk)).status_code
        == 302
    )
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.ACCEPTED
    assert statistics_return.validated_by == reporting.validator
    assert statistics_return.accepted_by == reporting.coordinator
    kinds = list(statistics_return.events.values_list("kind", flat=True))
    assert kinds == ["created", "uploaded", "submitted", "validated", "accepted"]
    assert AuditEvent.objects.filter(action="statistics.return.accept").count() == 1


def test_it_keeps_the_validator_from_validating_their_own_submission(
    reporting: Reporting,
) -> None:
    """Four eyes: a validator who submitted the return cannot validate it."""
    statistics_return = return_start(
        actor=reporting.validator, organisation=reporting.organisation, year=YEAR
    )
    return_save_figures(
        actor=reporting.validator,
        statistics_return=statistics_return,
        entries=good_entries(),
        source="form",
    )
    return_submit(actor=reporting.validator, statistics_return=statistics_return)
    response = _client(reporting.validator).get(
        reverse("statistics:return_validate", kwargs={"pk": statistics_return.pk})
    )
    assert response.status_code == 403


def test_it_returns_with_comments_and_keeps_the_old_values(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """Returning needs comments, keeps the figures as revision 1 and reopens the return."""
    statistics_return = make_return(reporting, status=ReturnStatus.VALIDATED)
    url = reverse("statistics:return_send_back", kwargs={"pk": statistics_return.pk})
    client = client_for("secretariat")
    empty = client.post(url, {"comments": ""})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    client.post(url, {"comments": "The suspects look low compared with the police."})
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.RETURNED
    assert statistics_return.revision == 2
    revision = statistics_return.revisions.get()
    assert revision.revision == 1
    assert revision.status == ReturnStatus.VALIDATED
    assert revision.reason == "The suspects look low compared with the police."
    assert {"indicator": "suspects", "dimension": "", "category": "", "value": 4} in (
        revision.figures
    )
    page = client_for("dataprovider").get(statistics_return.get_absolute_url())
    assert "The suspects look low compared with the police." in page.content.decode()
    edit = client_for("dataprovider").get(
        reverse("statistics:return_edit", kwargs={"pk": statistics_return.pk})
    )
    assert edit.status_code == 200


def test_it_revises_an_accepted_return_with_a_reason(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """Reopening an accepted return keeps its values and the reason, and makes it a draft."""
    statistics_return = make_return(reporting, status=ReturnStatus.ACCEPTED)
    url = reverse("statistics:return_revise", kwargs={"pk": statistics_return.pk})
    client = client_for("dataprovider")
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "Two cases were recorded twice."})
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.DRAFT
    assert statistics_return.accepted_at is None
    revision = statistics_return.revisions.get()
    assert (revision.status, revision.reason) == (
        ReturnStatus.ACCEPTED,
        "Two cases were recorded twice.",
    )
    assert statistics_return.figures.count() == len(revision.figures)
    page = client.get(statistics_return.get_absolute_url()).content.decode()
    assert "Two cases were recorded twice." in page


def test_it_keeps_validators_for_the_coordinator(
    reporting: Reporting, client_for: ClientFor, personas: Personas
) -> None:
    """The coordinator designates a member of the organisation; nobody else can."""
    url = reverse("statistics:return_validators")
    assert client_for("secretariat").get(url).status_code == 403
    assert client_for("dataprovider").get(url).status_code == 403
    client = client_for("coordinator")
    outsider = client.post(url, {"organisation": reporting.other.pk, "user": personas.ngo.pk})
    assert "is not an active member of Border Agency" in outsider.content.decode()
    client.post(url, {"organisation": reporting.other.pk, "user": reporting.other_provider.pk})
    designation = ReturnValidator.objects.get(user=reporting.other_provider)
    assert designation.is_active
    client.post(reverse("statistics:return_validator_remove", kwargs={"pk": designation.pk}))
    designation.refresh_from_db()
    assert not designation.is_active


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_it_lists_returns_in_a_fixed_number_of_queries(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """The list costs the same with 1 return as with 20."""
    make_return(reporting, status=ReturnStatus.SUBMITTED, year=2000)
    client = client_for("coordinator")
    url = reverse("statistics:return_list") + "?queue=all"
    one = _queries(client, url)
    for year in range(2001, 2020):
        make_return(reporting, status=ReturnStatus.SUBMITTED, year=year, other=year % 2 == 0)
    assert _queries(client, url) == one


def test_it_shows_a_return_in_a_fixed_number_of_queries(
    reporting: Reporting, client_for: ClientFor
) -> None:
    """A return's page costs the same with a few figures as with many, and many events."""
    small = return_start(actor=reporting.provider, organisation=reporting.organisation, year=2022)
    return_save_figures(
        actor=reporting.provider,
        statistics_return=small,
        entries=[Entry("suspects", "", "", "1", row="2")],
        source="form",
    )
    big = make_return(reporting, status=ReturnStatus.RETURNED, year=2023)
    client = client_for("dataprovider")
    assert _queries(client, small.get_absolute_url()) == _queries(client, big.get_absolute_url())
    edit_small = reverse("statistics:return_edit", kwargs={"pk": small.pk})
    edit_big = reverse("statistics:return_edit", kwargs={"pk": big.pk})
    assert _queries(client, edit_small) == _queries(client, edit_big)
