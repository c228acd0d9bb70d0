"""Services and pages that change the directory: validated, audited, nothing lost."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.accounts.choices import Role
from polku.actors import services
from polku.actors.choices import BodyRole, OrganisationKind
from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.actors.tests.factories import make_organisation, make_user
from polku.audit.models import AuditEvent


def test_it_creates_an_organisation_and_audits_it(personas: Personas) -> None:
    """The new organisation and an audit event with its content are written together."""
    organisation = services.organisation_create(
        actor=personas.coordinator,
        data={"name": "Pirkanmaa Police Department", "kind": OrganisationKind.AUTHORITY},
    )
    event = AuditEvent.objects.get(action="actors.organisation.create")
    assert event.actor == personas.coordinator
    assert event.target_id == str(organisation.pk)
    assert event.after is not None and event.after["name"] == "Pirkanmaa Police Department"


def test_it_refuses_unknown_fields_and_changes_nothing(personas: Personas) -> None:
    """A field outside the allow-list is refused; nothing is written."""
    with pytest.raises(ValidationError, match="Unknown fields"):
        services.organisation_update(
            actor=personas.coordinator,
            organisation=personas.justice,
            data={"name": "Changed", "created_by": personas.outsider},
        )
    personas.justice.refresh_from_db()
    assert personas.justice.name == "Ministry of Justice"
    assert not AuditEvent.objects.filter(action="actors.organisation.update").exists()


def test_it_refuses_an_organisation_inside_itself(personas: Personas) -> None:
    """Making an organisation part of its own part is a cycle and is refused."""
    part = make_organisation(parent=personas.justice)
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=personas.coordinator, organisation=personas.justice, data={"parent": part}
        )
    assert Organisation.objects.get(pk=personas.justice.pk).parent is None


def test_it_records_only_the_changed_fields(personas: Personas) -> None:
    """The audit event of an update holds the before and after of what changed."""
    services.organisation_update(
        actor=personas.admin, organisation=personas.police, data={"region": "Lapland"}
    )
    event = AuditEvent.objects.get(action="actors.organisation.update")
    assert event.before == {"region": ""}
    assert event.after == {"region": "Lapland"}


def test_the_edit_form_shows_specific_errors_and_keeps_the_old_values(
    personas: Personas, client_for: ClientFor
) -> None:
    """An empty name and a bad website are named; the saved organisation is untouched."""
    response = client_for("coordinator").post(
        reverse("actors:organisation_update", args=[personas.justice.pk]),
        {"name": "", "kind": "ministry", "website": "not a url", "is_active": "on"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors and "website" in form.errors
    personas.justice.refresh_from_db()
    assert personas.justice.name == "Ministry of Justice"


def test_it_gives_and_ends_a_role(personas: Personas, client_for: ClientFor) -> None:
    """A role can be given once; ending it keeps the row and takes the role away."""
    person = make_user()
    client = client_for("coordinator")
    url = reverse("actors:membership_add", args=[person.pk])
    data = {
        "organisation": "national police board",
        "role": Role.PRACTITIONER,
        "title": "Inspector",
    }
    assert client.post(url, data).status_code == 302
    assert person.has_role(Role.PRACTITIONER)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "already holds this role" in response.content.decode()
    membership = Membership.objects.get(user=person)
    client.post(reverse("actors:membership_end", args=[person.pk, membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active
    fresh = type(person).objects.get(pk=person.pk)
    assert not fresh.has_role(Role.PRACTITIONER)


def test_it_keeps_one_chair_and_one_focal_point_per_ministry(personas: Personas) -> None:
    """A second chair, a second focal point for a ministry, or an NGO focal point is refused."""
    body = personas.secretariat_body
    with pytest.raises(ValidationError, match="already has someone in that role"):
        services.body_member_add(
            actor=personas.coordinator,
            body=body,
            user=personas.ngo,
            organisation=personas.ngo_org,
            role=BodyRole.CHAIR,
        )
    with pytest.raises(ValidationError, match="already has someone in that role"):
        services.body_member_add(
            actor=personas.coordinator,
            body=body,
            user=make_user(),
            organisation=personas.justice,
            role=BodyRole.FOCAL_POINT,
        )
    with pytest.raises(ValidationError, match="represent a ministry"):
        services.body_member_add(
            actor=personas.coordinator,
            body=body,
            user=personas.ngo,
            organisation=personas.ngo_org,
            role=BodyRole.FOCAL_POINT,
        )
    deputy = services.body_member_add(
        actor=personas.coordinator,
        body=body,
        user=make_user(),
        organisation=personas.justice,
        role=BodyRole.DEPUTY_FOCAL_POINT,
    )
    assert deputy.pk is not None
    assert body.members.count() == 4


def test_a_chair_keeps_their_own_body(personas: Personas, client_for: ClientFor) -> None:
    """The chair of a closed group adds a member by user name; a wrong name is explained."""
    client = client_for("secretariat")
    url = reverse("actors:body_member_add", args=[personas.private_group.pk])
    response = client.post(
        url, {"person": "nobody-here", "organisation": "Victim Support NGO", "role": "member"}
    )
    assert response.status_code == 200
    assert "Nobody you can see in the directory has that user name" in response.content.decode()
    response = client.post(
        url, {"person": "ngo", "organisation": "Victim Support NGO", "role": "member"}
    )
    assert response.status_code == 302
    assert BodyMember.objects.filter(body=personas.private_group, user=personas.ngo).exists()
    assert AuditEvent.objects.filter(action="actors.body_member.add").count() == 1


def test_reading_a_persons_contact_details_is_audited(
    personas: Personas, client_for: ClientFor
) -> None:
    """Each view of a person's page writes an access event naming the reader."""
    client_for("ngo").get(reverse("actors:person_detail", args=[personas.practitioner.pk]))
    event = AuditEvent.objects.get(action="actors.person.view")
    assert event.kind == AuditEvent.Kind.ACCESS
    assert event.actor == personas.ngo
    assert event.target_id == str(personas.practitioner.pk)


def test_lists_search_filter_and_paginate(personas: Personas, client_for: ClientFor) -> None:
    """Search and kind filters narrow the list; pages hold the configured number of rows."""
    for index in range(30):
        make_organisation(name=f"Shelter {index:02d}", kind=OrganisationKind.NGO)
    client = client_for("practitioner")
    url = reverse("actors:organisation_list")
    response = client.get(url, {"q": "shelter", "kind": "ngo"})
    page = response.context["page_obj"]
    assert page.paginator.count == 30
    assert len(page.object_list) == 25
    response = client.get(url, {"q": "shelter", "kind": "ngo", "page": "2"})
    assert [o.name for o in response.context["page_obj"]][:2] == ["Shelter 25", "Shelter 26"]
    response = client.get(url, {"q": "no such organisation"})
    assert response.context["page_obj"].paginator.count == 0
    assert "No organisations match these filters." in response.content.decode()
    response = client.get(url, {"kind": "not-a-kind"})
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors


def test_retired_organisations_are_hidden_from_practitioners(
    personas: Personas, client_for: ClientFor
) -> None:
    """A retired organisation is listed for the coordination only, and 404 for others."""
    services.organisation_update(
        actor=personas.coordinator, organisation=personas.ngo_org, data={"is_active": False}
    )
    url = reverse("actors:organisation_detail", args=[personas.ngo_org.pk])
    assert client_for("practitioner").get(url).status_code == 404
    assert client_for("coordinator").get(url).status_code == 200


def test_the_demo_loads_once(settings: object, db: None) -> None:
    """Loading the demo twice creates nothing the second time."""
    settings.POLKU_DEMO = True  # type: ignore[attr-defined]
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("demo_load", verbosity=0)
    counts = (Organisation.objects.count(), Membership.objects.count(), Body.objects.count())
    call_command("demo_load", verbosity=0)
    assert counts == (
        Organisation.objects.count(),
        Membership.objects.count(),
        Body.objects.count(),
    )
    assert Organisation.objects.filter(kind=OrganisationKind.MINISTRY).count() == 6
    coordinator = Membership.objects.get(user__username="coordinator")
    assert coordinator.role == Role.COORDINATOR
    assert coordinator.user.check_password("polku-demo")


def test_the_demo_is_refused_on_production_settings(settings: object, db: None) -> None:
    """With DEBUG off and no explicit permission the demo loader refuses and writes nothing."""
    from django.core.management.base import CommandError

    settings.POLKU_DEMO = True  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    settings.POLKU_DEMO_ALLOW_WITHOUT_DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="Refusing"):
        call_command("demo_load", verbosity=0)
    assert not Organisation.objects.exists()


def test_removing_a_member_asks_first(personas: Personas, client_for: ClientFor) -> None:
    """The remove link shows a confirmation; only the POST removes the seat."""
    member = personas.private_group.members.get(user=personas.practitioner)
    url = reverse("actors:body_member_remove", args=[personas.private_group.pk, member.pk])
    client = client_for("secretariat")
    response = client.get(url)
    assert response.status_code == 200
    assert "will no longer sit on Closed working group" in response.content.decode()
    assert BodyMember.objects.filter(pk=member.pk).exists()
    assert client.post(url).status_code == 302
    assert not BodyMember.objects.filter(pk=member.pk).exists()
    event = AuditEvent.objects.get(action="actors.body_member.remove")
    assert event.before is not None and event.before["user_id"] == personas.practitioner.pk


def test_the_body_page_pairs_focal_points_with_deputies(
    personas: Personas, client_for: ClientFor
) -> None:
    """Each ministry on the secretariat shows its focal point, and a vacant deputy seat."""
    response = client_for("practitioner").get(
        reverse("actors:body_detail", args=[personas.secretariat_body.pk])
    )
    pairs = response.context["focal_points"]
    assert [pair.organisation.name for pair in pairs] == [
        "Ministry of Justice",
        "Ministry of Social Affairs and Health",
    ]
    assert all(pair.focal_point is not None and pair.deputy is None for pair in pairs)
    assert response.content.decode().count("Vacant") == 2


def test_an_organisation_is_named_in_any_language(
    personas: Personas, client_for: ClientFor
) -> None:
    """A role can name the organisation by its Finnish name; an unknown name is explained."""
    personas.police.name_fi = "Poliisihallitus"
    personas.police.save()
    person = make_user()
    client = client_for("admin")
    url = reverse("actors:membership_add", args=[person.pk])
    response = client.post(url, {"organisation": "Ei tällaista", "role": Role.PRACTITIONER})
    assert response.status_code == 200
    assert "No active organisation has that name." in response.content.decode()
    assert not person.memberships.exists()
    response = client.post(url, {"organisation": "poliisihallitus", "role": Role.PRACTITIONER})
    assert response.status_code == 302
    assert person.memberships.get().organisation == personas.police


def test_people_are_filtered_by_organisation_name_and_role(
    personas: Personas, client_for: ClientFor
) -> None:
    """The organisation filter matches part of a name; the role filter narrows further."""
    client = client_for("practitioner")
    url = reverse("actors:person_list")
    response = client.get(url, {"organisation": "ministry"})
    names = {person.username for person in response.context["page_obj"]}
    assert names == {"coordinator", "secretariat", "secretariat2", "admin"}
    response = client.get(url, {"organisation": "ministry", "role": Role.SECRETARIAT})
    names = {person.username for person in response.context["page_obj"]}
    assert names == {"secretariat", "secretariat2"}


def test_the_region_filter_lists_each_region_once(
    personas: Personas, client_for: ClientFor
) -> None:
    """However many organisations share a region, it is offered once."""
    for index in range(3):
        make_organisation(name=f"Lapland office {index}", region="Lapland")
    make_organisation(name="Oulu office", region="North Ostrobothnia")
    response = client_for("practitioner").get(reverse("actors:organisation_list"))
    choices = [value for value, _ in response.context["form"].fields["region"].choices]
    assert choices == ["", "Lapland", "North Ostrobothnia"]


def test_a_chair_cannot_seat_or_discover_people_outside_their_view(
    personas: Personas, client_for: ClientFor
) -> None:
    """A practitioner chairing a group finds nobody without a role, by name or e-mail."""
    body = personas.private_group
    body.members.filter(user=personas.secretariat).delete()
    body.members.filter(user=personas.practitioner).update(role=BodyRole.CHAIR)
    client = client_for("practitioner")
    url = reverse("actors:body_member_add", args=[body.pk])
    for lookup in (personas.outsider.username, personas.outsider.email):
        response = client.post(
            url, {"person": lookup, "organisation": "Victim Support NGO", "role": "member"}
        )
        assert response.status_code == 200
        assert "Nobody you can see in the directory" in response.content.decode()
    assert not body.members.filter(user=personas.outsider).exists()


def test_sign_in_details_stay_unique_whatever_their_case(personas: Personas) -> None:
    """Another account's user name or e-mail, in any case, is refused and nothing changes."""
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            actor=personas.admin, person=personas.ngo, data={"username": "Coordinator"}
        )
    assert "username" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=personas.admin,
            data={"username": "newcomer", "email": personas.practitioner.email.upper()},
        )
    assert "email" in refused.value.message_dict
    personas.ngo.refresh_from_db()
    assert personas.ngo.username == "ngo"
    assert not type(personas.ngo).objects.filter(username="newcomer").exists()


def test_only_an_administrator_changes_how_an_administrator_signs_in(
    personas: Personas, mailoutbox: list[object], django_capture_on_commit_callbacks: Any
) -> None:
    """The coordinator cannot redirect an administrator's e-mail; an administrator can, and the
    old address is told."""
    with pytest.raises(ValidationError, match="Only an administrator"):
        services.person_update(
            actor=personas.coordinator,
            person=personas.admin,
            data={"email": "attacker@example.org"},
        )
    personas.admin.refresh_from_db()
    assert personas.admin.email == "admin@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        services.person_update(
            actor=personas.admin, person=personas.coordinator, data={"email": "anna@example.org"}
        )
    assert AuditEvent.objects.filter(action="actors.person.email_change").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["coordinator@example.org"]  # type: ignore[attr-defined]
