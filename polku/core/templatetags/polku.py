"""Template helpers for rendering Django forms and lists in GOV.UK Frontend style."""

from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# GOV.UK Frontend class for each kind of control, and the modifier it takes on error.
_CONTROL_CLASSES = {
    "text": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
}


@register.filter
def widget_kind(field: BoundField) -> str:
    """How a field is laid out: text, password, select, textarea, checkbox, radios,
    checkboxes, file or hidden."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    # CheckboxSelectMultiple is a RadioSelect subclass, so it is tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "text"


@register.filter
def marks_optional(field: BoundField) -> bool:
    """Whether the label says "(optional)": only where some other field of the form is
    required, so filter forms (all optional) stay uncluttered."""
    if field.field.required or widget_kind(field) in {"checkbox", "hidden"}:
        return False
    if getattr(field.form, "hide_optional", False):
        return False
    return any(other.required for other in field.form.fields.values())


@register.filter
def field_anchor(field: BoundField) -> str:
    """The id of the control an error summary link should move focus to."""
    if widget_kind(field) in {"radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    return str(field.id_for_label or field.auto_id)


@register.simple_tag
def govuk_control(field: BoundField, classes: str = "") -> SafeString:
    """Renders a field's control with GOV.UK classes, hint and error descriptions."""
    kind = widget_kind(field)
    attrs: dict[str, Any] = {}
    base = _CONTROL_CLASSES.get("text" if kind == "password" else kind)
    names = []
    if base:
        names.append(base)
        if field.errors:
            names.append(f"{base}--error")
    if classes:
        names.append(classes)
    existing = field.field.widget.attrs.get("class")
    if existing:
        names.append(existing)
    if names:
        attrs["class"] = " ".join(names)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    input_type = getattr(field.field.widget, "input_type", "")
    if input_type in {"email", "password", "url"} or kind == "password":
        attrs["spellcheck"] = "false"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def page_range(page_obj: Page[Any]) -> list[int | None]:
    """The page numbers to offer around the current page; None stands for a gap."""
    paginator = page_obj.paginator
    return [
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    ]
