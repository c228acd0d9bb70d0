"""Administrators keep typologies in the admin; every add, change and delete there, the
inline categories' included, is an audited write naming what it was and what it became."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.audit.selectors import chain_verify
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category, Typology


@pytest.fixture
def draft() -> Typology:
    """A second version of the sectors, not yet current."""
    return Typology.objects.create(
        kind=TypologyKind.SECTOR,
        version=2,
        name="Sectors",
        valid_from=datetime.date(2027, 1, 1),
    )


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _category_form(typology: Typology, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "typology": typology.pk,
        "code": "care_work",
        "label": "Care work",
        "label_fi": "",
        "label_sv": "",
        "order": 1,
    }
    return values | overrides


def test_adding_and_changing_a_category_is_audited(
    superuser_client: Client, personas: Personas, draft: Typology
) -> None:
    earlier = Category.objects.filter(typology__kind=TypologyKind.SECTOR, typology__version=1)
    continued = earlier.first()
    assert continued is not None
    response = superuser_client.post(
        reverse("admin:taxonomy_category_add"),
        _category_form(draft, replaces=[continued.pk]),
    )
    assert response.status_code == 302
    category = Category.objects.get(typology=draft, code="care_work")
    [added] = _events("taxonomy.category.add")
    assert added.actor == personas.admin
    assert added.target_id == str(category.pk)
    assert added.before is None
    assert added.after is not None
    assert added.after["label"] == "Care work"
    assert added.after["replaces"] == [continued.pk]
    assert added.detail == {"via": "admin"}

    change = reverse("admin:taxonomy_category_change", args=[category.pk])
    superuser_client.post(change, _category_form(draft, label="Care and domestic work"))
    [changed] = _events("taxonomy.category.change")
    assert changed.before == {"label": "Care work", "replaces": [continued.pk]}
    assert changed.after == {"label": "Care and domestic work", "replaces": []}

    # Saving what is already there changes nothing and records nothing.
    superuser_client.post(change, _category_form(draft, label="Care and domestic work"))
    assert len(_events("taxonomy.category.change")) == 1
    assert chain_verify().ok


def test_inline_categories_and_deletes_are_audited(
    superuser_client: Client, personas: Personas, draft: Typology
) -> None:
    kept = Category.objects.create(typology=draft, code="fishing", label="Fishing", order=1)
    dropped = Category.objects.create(typology=draft, code="mining", label="Mining", order=2)
    prefix = "categories"
    data: dict[str, object] = {
        "kind": draft.kind,
        "version": draft.version,
        "name": draft.name,
        "name_fi": "",
        "name_sv": "",
        "valid_from": "2027-01-01",
        f"{prefix}-TOTAL_FORMS": 3,
        f"{prefix}-INITIAL_FORMS": 2,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    rows = [
        (kept, {"code": "fishing", "label": "Fishing and fish processing", "order": 1}),
        (dropped, {"code": "mining", "label": "Mining", "order": 2, "DELETE": "on"}),
        (None, {"code": "forestry", "label": "Forestry", "order": 3}),
    ]
    for index, (row, values) in enumerate(rows):
        data[f"{prefix}-{index}-id"] = row.pk if row is not None else ""
        data[f"{prefix}-{index}-typology"] = draft.pk
        for field in ("label_fi", "label_sv"):
            data[f"{prefix}-{index}-{field}"] = ""
        for field, value in values.items():
            data[f"{prefix}-{index}-{field}"] = value
    response = superuser_client.post(
        reverse("admin:taxonomy_typology_change", args=[draft.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    [changed] = _events("taxonomy.category.change")
    assert changed.target_id == str(kept.pk)
    assert changed.before == {"label": "Fishing"}
    assert changed.after == {"label": "Fishing and fish processing"}
    [deleted] = _events("taxonomy.category.delete")
    assert deleted.target_id == str(dropped.pk)
    assert deleted.before is not None and deleted.before["code"] == "mining"
    assert not Category.objects.filter(pk=dropped.pk).exists()
    [added] = _events("taxonomy.category.add")
    assert added.after is not None and added.after["code"] == "forestry"
    # The typology itself did not change, so it has no event.
    assert not _events("taxonomy.typology.change")

    delete = reverse("admin:taxonomy_category_delete", args=[kept.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert [event.target_id for event in _events("taxonomy.category.delete")] == [
        str(dropped.pk),
        str(kept.pk),
    ]
    assert all(
        event.actor == personas.admin
        for event in AuditEvent.objects.filter(action__startswith="taxonomy.")
    )
    assert chain_verify().ok
