"""A return's figures come before disclosure control: every page that opens them records the
read, naming the reader, as the return's own page does; saving records a write, not a read."""

from typing import Any

import pytest
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.statistics.models import Return
from polku.statistics.tests.test_it_collects_returns import (
    make_return,
    set_up_reporting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statistics_return(personas: Personas) -> Return:
    return make_return(set_up_reporting(personas), victims=17)


def _reads(statistics_return: Return) -> list[tuple[str, int | None, dict[str, Any]]]:
    return [
        (event.action, event.actor_id, event.detail)
        for event in AuditEvent.objects.filter(
            kind=AuditEvent.Kind.ACCESS, target_id=str(statistics_return.pk)
        ).order_by("id")
    ]


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("statistics:return_detail", "statistics.return.read"),
        ("statistics:return_edit", "statistics.return.edit_form"),
        ("statistics:return_upload", "statistics.return.upload_form"),
    ],
)
def test_each_page_of_a_return_records_its_read(
    statistics_return: Return,
    personas: Personas,
    client_for: ClientFor,
    page: str,
    action: str,
) -> None:
    response = client_for("dataprovider").get(reverse(page, kwargs={"pk": statistics_return.pk}))
    assert response.status_code == 200
    assert _reads(statistics_return) == [
        (action, personas.dataprovider.pk, {"year": statistics_return.year, "status": "draft"})
    ]


def test_the_figures_form_shows_the_saved_figures_it_records(
    statistics_return: Return, client_for: ClientFor
) -> None:
    """The form is filled with the saved figures, which is why opening it is a read."""
    response = client_for("dataprovider").get(
        reverse("statistics:return_edit", kwargs={"pk": statistics_return.pk})
    )
    assert 'value="17"' in response.content.decode()


def test_refused_visitors_leave_no_read(statistics_return: Return, client_for: ClientFor) -> None:
    """Someone who may not change the return reads nothing of it on these pages."""
    for persona in ("coordinator", "practitioner", "rapporteur", "anonymous"):
        client = client_for(persona)
        for page in ("statistics:return_edit", "statistics:return_upload"):
            response = client.get(reverse(page, kwargs={"pk": statistics_return.pk}))
            assert response.status_code in (302, 403, 404), (persona, page)
    assert _reads(statistics_return) == []


def test_saving_the_form_records_a_write_and_no_read(
    statistics_return: Return, client_for: ClientFor
) -> None:
    """A successful save redirects without showing the figures: it is a write, not a read."""
    url = reverse("statistics:return_edit", kwargs={"pk": statistics_return.pk})
    client = client_for("dataprovider")
    form = client.get(url).context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    writes = AuditEvent.objects.filter(action="statistics.return.figures").count()
    response = client.post(url, data)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="statistics.return.figures").count() == writes + 1
    assert [action for action, _actor, _detail in _reads(statistics_return)] == [
        "statistics.return.edit_form"
    ]
