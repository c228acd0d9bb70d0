"""Form fields that pick categories of a typology, labelled in the reader's language."""

from typing import Any

from django import forms

from polku.taxonomy.models import Category
from polku.taxonomy.selectors import category_choices


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    """A category picked by its code, labelled in the reader's language."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        super().__init__(queryset=category_choices(kind=kind), **kwargs)

    def label_from_instance(self, obj: Category) -> str:
        return obj.display_label


class CategoriesField(forms.ModelMultipleChoiceField[Category]):
    """Checkboxes of a typology's current categories."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("required", False)
        super().__init__(queryset=category_choices(kind=kind), **kwargs)

    def label_from_instance(self, obj: Category) -> str:
        return obj.display_label
