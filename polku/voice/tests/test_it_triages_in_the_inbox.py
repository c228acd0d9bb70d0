"""The secretariat's inbox: who may open it, what it filters and sorts, and taking work on."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.actors.tests.factories import make_membership, make_organisation
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.permissions import challenge_scope
from polku.voice.selectors_inbox import DueState, InboxFilters, end_of_week, inbox_list
from polku.voice.tests.factories import (
    exploitation_form,
    make_challenge,
    make_endorsement,
    region,
    sector,
)

TRIAGE = {"coordinator", "secretariat", "secretariat2"}


def _today() -> date:
    return timezone.localdate()


def _references(client_for: ClientFor, **query: str) -> list[str]:
    response = client_for("secretariat").get(reverse("voice:inbox"), query)
    assert response.status_code == 200
    return [challenge.reference for challenge in response.context["rows"]]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_triage_roles_open_the_inbox(
    personas: Personas, client_for: ClientFor, persona: str
) -> None:
    """Coordinator and secretariat: 200; every other insider and outsiders: 403; anonymous:
    sent to sign in."""
    make_challenge(submitted_by=personas.practitioner)
    response = client_for(persona).get(reverse("voice:inbox"))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif persona in TRIAGE:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_triage_roles_take_challenges_on(
    personas: Personas, client_for: ClientFor, persona: str
) -> None:
    """Assigning to oneself is for the triage roles; everyone else is refused and nothing
    changes."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    response = client_for(persona).post(reverse("voice:inbox_assign"), {"one": str(challenge.pk)})
    challenge.refresh_from_db()
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert challenge.owner is None
    elif persona in TRIAGE:
        assert response.status_code == 302
        assert challenge.owner == personas.by_name(persona)
    else:
        assert response.status_code == 403
        assert challenge.owner is None


def test_it_shows_the_clocks_and_counts_what_is_late(
    personas: Personas, client_for: ClientFor
) -> None:
    """Each row shows its running clock, overdue ones are tagged, and the summary counts
    overdue and due-this-week challenges."""
    today = _today()
    late = make_challenge(
        submitted_by=personas.practitioner,
        title="Late acknowledgement",
        acknowledge_due_on=today - timedelta(days=3),
        answer_due_on=today + timedelta(days=20),
    )
    make_challenge(
        submitted_by=personas.practitioner,
        title="Late answer",
        status=ChallengeStatus.ACKNOWLEDGED,
        acknowledge_due_on=today - timedelta(days=30),
        answer_due_on=today - timedelta(days=1),
    )
    make_challenge(
        submitted_by=personas.practitioner,
        title="Due today",
        acknowledge_due_on=today,
        answer_due_on=today + timedelta(days=25),
    )
    make_challenge(
        submitted_by=personas.practitioner,
        title="Answered long ago",
        status=ChallengeStatus.ANSWERED,
        acknowledge_due_on=today - timedelta(days=60),
        answer_due_on=today - timedelta(days=30),
        answered_at=timezone.now(),
    )
    response = client_for("coordinator").get(reverse("voice:inbox"))
    page = response.content.decode()
    summary = response.context["summary"]
    assert (summary.overdue, summary.due_this_week, summary.unassigned) == (2, 1, 3)
    assert "2 overdue" in page and "1 due this week" in page
    assert page.count("govuk-tag--red") == 2
    assert "Answered long ago" not in page
    assert str(late.reference) in page
    assert "Acknowledge by" in page and "Answer by" in page


def test_it_filters_by_due_state(personas: Personas, client_for: ClientFor) -> None:
    """Overdue acknowledgements, overdue answers, both, and what is due this week."""
    today = _today()
    ack_late = make_challenge(
        acknowledge_due_on=today - timedelta(days=1), answer_due_on=today + timedelta(days=40)
    )
    answer_late = make_challenge(
        status=ChallengeStatus.UNDER_CONSIDERATION,
        acknowledge_due_on=today - timedelta(days=40),
        answer_due_on=today - timedelta(days=1),
    )
    this_week = make_challenge(
        status=ChallengeStatus.ACKNOWLEDGED,
        acknowledge_due_on=today - timedelta(days=10),
        answer_due_on=end_of_week(today),
    )
    later = make_challenge(
        acknowledge_due_on=end_of_week(today) + timedelta(days=1),
        answer_due_on=today + timedelta(days=40),
    )
    assert set(_references(client_for, due=DueState.OVERDUE_ACKNOWLEDGEMENT)) == {
        ack_late.reference
    }
    assert set(_references(client_for, due=DueState.OVERDUE_ANSWER)) == {answer_late.reference}
    assert set(_references(client_for, due=DueState.OVERDUE)) == {
        ack_late.reference,
        answer_late.reference,
    }
    assert set(_references(client_for, due=DueState.DUE_THIS_WEEK)) == {this_week.reference}
    assert set(_references(client_for)) == {
        ack_late.reference,
        answer_late.reference,
        this_week.reference,
        later.reference,
    }


def test_it_filters_by_owner_status_categories_urgency_and_text(
    personas: Personas, client_for: ClientFor
) -> None:
    """Owner (mine, unassigned, a person), status, sector, form, region, urgency, search."""
    mine = make_challenge(owner=personas.secretariat, title="Interpreters at night")
    theirs = make_challenge(
        owner=personas.coordinator,
        categories=[sector("labour_inspection"), exploitation_form("forced_labour")],
        region=region("lapland"),
        urgency="high",
        title="Berry pickers' passports",
    )
    nobody = make_challenge(status=ChallengeStatus.ON_AGENDA, title="Shelter places")
    closed = make_challenge(status=ChallengeStatus.DECLINED, title="Closed one")
    merged = make_challenge(status=ChallengeStatus.MERGED, title="Merged one", merged_into=mine)
    assert _references(client_for, owner="mine") == [mine.reference]
    assert _references(client_for, owner="unassigned") == [nobody.reference]
    assert _references(client_for, owner=str(personas.coordinator.pk)) == [theirs.reference]
    assert _references(client_for, status="on_agenda") == [nobody.reference]
    assert set(_references(client_for, status="all")) == {
        mine.reference,
        theirs.reference,
        nobody.reference,
        closed.reference,
    }
    assert merged.reference not in _references(client_for, status="all")
    assert _references(client_for, sector="labour_inspection") == [theirs.reference]
    assert _references(client_for, form="forced_labour") == [theirs.reference]
    assert _references(client_for, region="lapland") == [theirs.reference]
    assert _references(client_for, urgency="high") == [theirs.reference]
    assert _references(client_for, q="berry") == [theirs.reference]
    assert _references(client_for, q=str(nobody.reference).lower()) == [nobody.reference]


def test_it_sorts_by_due_date_newest_and_endorsements(
    personas: Personas, client_for: ClientFor
) -> None:
    """Soonest clock first by default; newest first; most endorsed first."""
    today = _today()
    old_urgent = make_challenge(
        submitted_on=today - timedelta(days=20),
        acknowledge_due_on=today - timedelta(days=2),
        answer_due_on=today + timedelta(days=10),
    )
    new_relaxed = make_challenge(
        submitted_on=today,
        acknowledge_due_on=today + timedelta(days=5),
        answer_due_on=today + timedelta(days=30),
    )
    middle = make_challenge(
        submitted_on=today - timedelta(days=5),
        acknowledge_due_on=today + timedelta(days=1),
        answer_due_on=today + timedelta(days=25),
    )
    for persona in (personas.practitioner, personas.ngo):
        make_endorsement(challenge=middle, user=persona)
    make_endorsement(challenge=new_relaxed, user=personas.ngo)
    assert _references(client_for) == [
        old_urgent.reference,
        middle.reference,
        new_relaxed.reference,
    ]
    assert _references(client_for, sort="newest") == [
        new_relaxed.reference,
        middle.reference,
        old_urgent.reference,
    ]
    assert _references(client_for, sort="endorsed") == [
        middle.reference,
        new_relaxed.reference,
        old_urgent.reference,
    ]
    page = client_for("secretariat").get(reverse("voice:inbox"), {"sort": "endorsed"})
    assert [row.endorsement_count for row in page.context["rows"]] == [2, 1, 0]


def test_bad_filters_narrow_nothing(personas: Personas, client_for: ClientFor) -> None:
    """Unknown filter values are reported on the form and the inbox still answers."""
    challenge = make_challenge()
    response = client_for("secretariat").get(
        reverse("voice:inbox"), {"status": "nonsense", "sector": "nowhere"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert [row.reference for row in response.context["rows"]] == [challenge.reference]


def test_it_takes_ticked_challenges_on_at_once(personas: Personas, client_for: ClientFor) -> None:
    """The ticked rows become the reader's, each with a timeline entry; the rest stay."""
    first, second, untouched = make_challenge(), make_challenge(), make_challenge()
    response = client_for("secretariat2").post(
        reverse("voice:inbox_assign"),
        {"challenge": [str(first.pk), str(second.pk)], "next": "?owner=unassigned"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("voice:inbox") + "?owner=unassigned"
    owners = dict(Challenge.objects.values_list("pk", "owner__username"))
    assert owners == {first.pk: "secretariat2", second.pk: "secretariat2", untouched.pk: None}
    assert first.events.filter(kind="owner").count() == 1
    again = client_for("secretariat2").post(
        reverse("voice:inbox_assign"), {"challenge": [str(first.pk)]}, follow=True
    )
    assert "You already own the chosen challenges." in again.content.decode()


def test_it_refuses_to_take_on_nothing_or_drafts(personas: Personas, client_for: ClientFor) -> None:
    """No choice, a malformed id or someone's draft: a clear message and no change."""
    draft = make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.DRAFT)
    client = client_for("secretariat")
    for data in ({}, {"one": "not-a-uuid"}, {"one": str(draft.pk)}):
        response = client.post(reverse("voice:inbox_assign"), data, follow=True)
        assert "Choose at least one challenge to take on." in response.content.decode()
    draft.refresh_from_db()
    assert draft.owner is None


def test_the_inbox_selector_gives_nothing_outside_triage(personas: Personas) -> None:
    """The scope itself is empty for a practitioner, whatever the view does."""
    make_challenge()
    assert not inbox_list(
        user=personas.practitioner, today=_today(), filters=InboxFilters()
    ).exists()
    assert inbox_list(user=personas.secretariat, today=_today(), filters=InboxFilters()).exists()


def test_the_inbox_shows_exactly_the_scope_less_drafts_and_merged(personas: Personas) -> None:
    """Asking by status alone gives the same rows as the reader's scope would."""
    for status in ChallengeStatus.values:
        make_challenge(submitted_by=personas.secretariat, status=status)
        make_challenge(submitted_by=personas.practitioner, status=status)
    expected = set(
        challenge_scope(personas.secretariat)
        .exclude(status__in=[ChallengeStatus.DRAFT, ChallengeStatus.MERGED])
        .values_list("pk", flat=True)
    )
    listed = inbox_list(
        user=personas.secretariat, today=_today(), filters=InboxFilters(status="all")
    )
    assert set(listed.values_list("pk", flat=True)) == expected
    assert len(expected) == 2 * (len(ChallengeStatus.values) - 2)


def _add_challenges(personas: Personas, n: int) -> None:
    today = _today()
    for index in range(n):
        membership = make_membership(organisation=make_organisation(), role="practitioner")
        challenge = make_challenge(
            submitted_by=membership.user,
            is_protected=index % 3 == 0,
            owner=None if index % 2 else personas.coordinator,
            region=region("lapland"),
            categories=[sector("police"), exploitation_form()],
            acknowledge_due_on=today - timedelta(days=1 + index % 4),
            answer_due_on=today + timedelta(days=index - 1),
            status=ChallengeStatus.RECEIVED if index % 2 else ChallengeStatus.ACKNOWLEDGED,
        )
        make_endorsement(challenge=challenge, user=personas.ngo)


def _count(client_for: ClientFor, query: dict[str, str]) -> int:
    client = client_for("coordinator")
    client.get(reverse("voice:inbox"), query)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("voice:inbox"), query)
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 1
    return len(queries)


@pytest.mark.parametrize(
    "query",
    [{}, {"due": "overdue", "sort": "endorsed"}, {"owner": "mine", "sector": "police"}],
    ids=["plain", "overdue by endorsements", "mine in a sector"],
)
def test_it_keeps_a_fixed_query_budget(
    personas: Personas, client_for: ClientFor, query: dict[str, str]
) -> None:
    """1 row or 20 rows: the same number of queries."""
    _add_challenges(personas, 1)
    with_one = _count(client_for, query)
    _add_challenges(personas, 19)
    with_twenty = _count(client_for, query)
    assert with_one == with_twenty
