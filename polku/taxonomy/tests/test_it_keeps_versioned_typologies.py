"""Typologies are versioned data: version 1 ships with Polku and later versions map onto it."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import translation

from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category, Typology
from polku.taxonomy.selectors import (
    category_choices,
    category_get,
    category_lineage,
    typology_current,
)

FORMS_OF_EXPLOITATION = [
    "sexual_exploitation",
    "forced_labour",
    "forced_criminality",
    "forced_begging",
    "forced_marriage",
    "organ_removal",
    "illegal_adoption",
    "surrogacy_exploitation",
    "other",
]


@pytest.mark.django_db
def test_it_ships_the_nine_forms_of_exploitation_in_order() -> None:
    """Version 1 holds the nine forms of exploitation, each labelled in three languages."""
    forms = list(category_choices(kind=TypologyKind.EXPLOITATION_FORM))
    assert [category.code for category in forms] == FORMS_OF_EXPLOITATION
    assert all(category.label and category.label_fi and category.label_sv for category in forms)
    current = typology_current(kind=TypologyKind.EXPLOITATION_FORM)
    assert current is not None and current.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        (TypologyKind.SECTOR, {"police", "border_control", "labour_inspection", "ngos", "other"}),
        (TypologyKind.AFFECTED_GROUP, {"children", "migrant_workers", "undocumented", "other"}),
        (TypologyKind.REGION, {"uusimaa", "lapland", "aland", "whole_country", "abroad"}),
    ],
)
def test_it_ships_sectors_groups_and_regions(kind: str, codes: set[str]) -> None:
    """Sectors, affected groups and regions are typologies of their own."""
    shipped = {category.code for category in category_choices(kind=kind)}
    assert codes <= shipped


@pytest.mark.django_db
def test_it_labels_categories_in_the_active_language() -> None:
    """A category's label follows the language, falling back to English."""
    forced_labour = category_get(kind=TypologyKind.EXPLOITATION_FORM, code="forced_labour")
    assert forced_labour is not None
    with translation.override("fi"):
        assert forced_labour.display_label == "Pakkotyö"
    with translation.override("sv"):
        assert forced_labour.display_label == "Tvångsarbete"
    with translation.override("de"):
        assert forced_labour.display_label == "Forced labour"


@pytest.mark.django_db
def test_a_new_version_maps_back_to_the_old_one() -> None:
    """A category of version 2 names the categories it continues, so time series can be joined."""
    old = Typology.objects.get(kind=TypologyKind.EXPLOITATION_FORM, is_current=True)
    old.is_current = False
    old.save()
    new = Typology.objects.create(
        kind=TypologyKind.EXPLOITATION_FORM,
        version=2,
        name="Forms of exploitation",
        valid_from=datetime.date(2027, 1, 1),
        is_current=True,
    )
    coerced = Category.objects.create(
        typology=new, code="coerced_services", label="Coerced services"
    )
    coerced.replaces.add(
        Category.objects.get(typology=old, code="forced_begging"),
        Category.objects.get(typology=old, code="forced_criminality"),
    )
    assert [
        category.code for category in category_choices(kind=TypologyKind.EXPLOITATION_FORM)
    ] == ["coerced_services"]
    lineage = {
        (category.code, category.typology.version)
        for category in category_lineage(category=coerced)
    }
    assert lineage == {
        ("coerced_services", 2),
        ("forced_begging", 1),
        ("forced_criminality", 1),
    }


@pytest.mark.django_db
def test_only_one_version_of_a_kind_is_current() -> None:
    """Two current versions of the same typology are refused by the database."""
    with pytest.raises(IntegrityError):
        Typology.objects.create(
            kind=TypologyKind.SECTOR,
            version=2,
            name="Sectors",
            valid_from=datetime.date(2027, 1, 1),
            is_current=True,
        )
