"""Reads of typologies. They are reference data: every reader sees the same values."""

from django.db.models import QuerySet

from polku.taxonomy.models import Category, Typology


def typology_current(*, kind: str) -> Typology | None:
    """The version of a typology that new records are classified by."""
    return Typology.objects.filter(kind=kind, is_current=True).first()


def category_choices(*, kind: str) -> QuerySet[Category]:
    """The categories of a typology's current version, in their display order."""
    return Category.objects.filter(typology__kind=kind, typology__is_current=True).order_by(
        "order", "code"
    )


def category_get(*, kind: str, code: str) -> Category | None:
    """A category of the current version by its code."""
    return category_choices(kind=kind).filter(code=code).first()


def category_lineage(*, category: Category) -> QuerySet[Category]:
    """The category and every earlier category it continues, for mapping time series."""
    seen: set[int] = {category.pk}
    frontier = [category.pk]
    while frontier:
        earlier = list(
            Category.replaces.through.objects.filter(from_category_id__in=frontier).values_list(
                "to_category_id", flat=True
            )
        )
        frontier = [pk for pk in earlier if pk not in seen]
        seen.update(frontier)
    return Category.objects.filter(pk__in=seen).select_related("typology")
