"""The shared template components: pagination, form fields, error summary, filters, empty state."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from polku.core.tests.html import Element, PageParser, text, with_class


def render(template: str, context: dict[str, Any], path: str = "/organisations/") -> list[Element]:
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    parser = PageParser()
    parser.feed(render_to_string(template, context, request=request))
    return parser.elements


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def pagination(number: int, path: str, pages: int = 10) -> list[Element]:
    page_obj = Paginator(list(range(pages * 10)), 10).page(number)
    return render("components/pagination.html", {"page_obj": page_obj}, path)


def test_it_keeps_other_query_parameters_in_pagination_links() -> None:
    """Every pagination link keeps the search and filters and changes only the page."""
    elements = pagination(2, "/organisations/?q=police&kind=ngo&kind=ministry&page=2")
    links = with_class(elements, "govuk-pagination__link")
    assert links
    for link in links:
        params = query(link.attrs["href"])
        assert params["q"] == ["police"]
        assert params["kind"] == ["ngo", "ministry"]
        assert len(params["page"]) == 1
    previous = [e for e in links if e.attrs.get("rel") == "prev"]
    following = [e for e in links if e.attrs.get("rel") == "next"]
    assert query(previous[0].attrs["href"])["page"] == ["1"]
    assert query(following[0].attrs["href"])["page"] == ["3"]


def test_it_marks_the_current_page_and_elides_far_pages() -> None:
    """The current page has aria-current; far-away pages collapse into an ellipsis."""
    elements = pagination(5, "/organisations/?page=5", pages=20)
    current = [
        e for e in with_class(elements, "govuk-pagination__link") if "aria-current" in e.attrs
    ]
    assert [(text(e), e.attrs["aria-label"]) for e in current] == [("5", "Page 5")]
    numbered = [
        text(e) for e in with_class(elements, "govuk-pagination__link") if "rel" not in e.attrs
    ]
    assert numbered == ["1", "4", "5", "6", "20"]
    assert len(with_class(elements, "govuk-pagination__item--ellipses")) == 2


def test_it_leaves_out_previous_on_the_first_page_and_next_on_the_last() -> None:
    """The first page has no Previous link, the last page no Next link."""
    first = pagination(1, "/organisations/", pages=3)
    assert with_class(first, "govuk-pagination__prev") == []
    assert len(with_class(first, "govuk-pagination__next")) == 1
    last = pagination(3, "/organisations/?page=3", pages=3)
    assert len(with_class(last, "govuk-pagination__prev")) == 1
    assert with_class(last, "govuk-pagination__next") == []


def test_it_renders_no_pagination_for_a_single_page() -> None:
    """A list that fits on one page shows no pagination."""
    assert with_class(pagination(1, "/organisations/", pages=1), "govuk-pagination") == []


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As it is written officially.")
    email = forms.EmailField(label="Email", required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    kind = forms.ChoiceField(label="Kind", choices=[("ngo", "NGO"), ("ministry", "Ministry")])
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    active = forms.BooleanField(label="Active", required=False)
    regions = forms.MultipleChoiceField(
        label="Regions",
        choices=[("north", "North"), ("south", "South")],
        widget=forms.CheckboxSelectMultiple,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def render_fields(form: forms.Form) -> list[Element]:
    parts = [render_to_string("components/field.html", {"field": field}) for field in form]
    parser = PageParser()
    parser.feed("".join(parts))
    return parser.elements


def control(elements: list[Element], name: str) -> Element:
    return next(
        e
        for e in elements
        if e.tag in {"input", "select", "textarea"} and e.attrs.get("name") == name
    )


def test_it_renders_each_kind_of_field_with_govuk_classes() -> None:
    """Text, email, password, select, textarea, checkbox and checkboxes get their GOV.UK classes."""
    elements = render_fields(SampleForm())
    assert control(elements, "name").classes == {"govuk-input"}
    assert control(elements, "email").classes == {"govuk-input"}
    assert control(elements, "email").attrs["spellcheck"] == "false"
    assert control(elements, "password").attrs["type"] == "password"
    assert control(elements, "password").classes == {"govuk-input"}
    assert control(elements, "kind").classes == {"govuk-select"}
    assert control(elements, "notes").classes == {"govuk-textarea"}
    assert control(elements, "active").classes == {"govuk-checkboxes__input"}
    regions = [e for e in elements if e.tag == "input" and e.attrs.get("name") == "regions"]
    assert [e.attrs["id"] for e in regions] == ["id_regions_0", "id_regions_1"]
    assert all(e.classes == {"govuk-checkboxes__input"} for e in regions)
    legends = with_class(elements, "govuk-fieldset__legend")
    assert [text(e) for e in legends] == ["Regions"]
    hidden = control(elements, "token")
    assert hidden.attrs["type"] == "hidden"
    assert len(with_class(elements, "govuk-form-group")) == 7


def test_it_labels_fields_and_marks_optional_ones() -> None:
    """Each label points at its control; fields that are not required say "(optional)"."""
    elements = render_fields(SampleForm())
    labels = {e.attrs["for"]: text(e) for e in elements if e.tag == "label"}
    assert labels["id_name"] == "Name"
    assert labels["id_email"] == "Email (optional)"
    assert labels["id_notes"] == "Notes (optional)"
    assert labels["id_active"] == "Active"


def test_it_leaves_optional_off_when_asked() -> None:
    """hide_optional=True (filter forms) drops the "(optional)" mark."""
    form = SampleForm()
    html = render_to_string(
        "components/field.html", {"field": form["email"], "hide_optional": True}
    )
    assert "(optional)" not in html


def test_it_describes_fields_with_their_hint_and_error() -> None:
    """Hint and error are linked to the control with aria-describedby, and the group is marked."""
    form = SampleForm(data={"email": "not-an-address"})
    assert not form.is_valid()
    elements = render_fields(form)
    name = control(elements, "name")
    assert name.attrs["aria-describedby"] == "id_name-hint id_name-error"
    assert name.classes == {"govuk-input", "govuk-input--error"}
    assert [text(e) for e in elements if e.attrs.get("id") == "id_name-hint"] == [
        "As it is written officially."
    ]
    error = [e for e in elements if e.attrs.get("id") == "id_name-error"]
    assert len(error) == 1 and "govuk-error-message" in error[0].classes
    assert text(error[0]) == "Error: This field is required."
    assert control(elements, "kind").classes == {"govuk-select", "govuk-select--error"}
    assert (
        len(with_class(elements, "govuk-form-group--error")) == 5
    )  # name, email, password, kind, regions


def test_it_links_each_error_in_the_summary_to_its_field() -> None:
    """The error summary lists non-field errors, then each field error linking to its control."""
    form = SampleForm(data={"email": "not-an-address"})
    form.is_valid()
    form.add_error(None, "These dates overlap.")
    elements = render("components/form_errors.html", {"form": form})
    summary = with_class(elements, "govuk-error-summary")
    assert len(summary) == 1
    assert [e.attrs["role"] for e in elements if "role" in e.attrs] == ["alert"]
    items = [e for e in elements if e.tag == "li"]
    assert text(items[0]) == "These dates overlap."
    links = [(e.attrs["href"], text(e)) for e in elements if e.tag == "a"]
    assert links == [
        ("#id_name", "This field is required."),
        ("#id_email", "Enter a valid email address."),
        ("#id_password", "This field is required."),
        ("#id_kind", "This field is required."),
        ("#id_regions_0", "This field is required."),
    ]


def test_it_renders_no_error_summary_for_a_valid_form() -> None:
    """A form without errors shows no error summary."""
    assert render("components/form_errors.html", {"form": SampleForm()}) == []


class FilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any"), ("ngo", "NGO")])


def test_it_renders_search_and_filters_as_a_get_form() -> None:
    """The filter form submits by GET to the list, keeps its values and offers to clear them."""
    form = FilterForm(data={"q": "police", "kind": "ngo"})
    elements = render(
        "components/search_filters.html",
        {"form": form, "label": "Filter organisations"},
        "/organisations/?q=police&kind=ngo&page=3",
    )
    form_element = next(e for e in elements if e.tag == "form")
    assert form_element.attrs["method"] == "get"
    assert form_element.attrs["action"] == "/organisations/"
    assert form_element.attrs["role"] == "search"
    assert form_element.attrs["aria-label"] == "Filter organisations"
    assert control(elements, "q").attrs["value"] == "police"
    selected = [e for e in elements if e.tag == "option" and "selected" in e.attrs]
    assert [e.attrs["value"] for e in selected] == ["ngo"]
    assert not [e for e in elements if e.attrs.get("name") == "page"]
    assert "(optional)" not in "".join(text(e) for e in elements if e.tag == "label")
    clear = [e for e in elements if e.tag == "a"]
    assert [(e.attrs["href"], text(e)) for e in clear] == [("/organisations/", "Clear filters")]


def test_it_renders_the_empty_state_with_an_optional_action() -> None:
    """The empty state shows its message, and a button when given an action."""
    plain = render("components/empty_state.html", {"message": "No organisations yet."})
    assert [text(e) for e in plain if e.tag == "p"] == ["No organisations yet."]
    assert [e for e in plain if e.tag == "a"] == []
    with_action = render(
        "components/empty_state.html",
        {"message": "No bodies yet.", "action_url": "/bodies/new/", "action_label": "Add a body"},
    )
    buttons = [e for e in with_action if e.tag == "a"]
    assert [(e.attrs["href"], text(e)) for e in buttons] == [("/bodies/new/", "Add a body")]


def test_it_gives_the_empty_state_a_default_message() -> None:
    """Without a message the empty state still says something."""
    elements = render("components/empty_state.html", {})
    assert [text(e) for e in elements if e.tag == "p"] == ["There is nothing here yet."]


@pytest.mark.parametrize("number", [1, 2])
def test_it_labels_pagination_for_assistive_technology(number: int) -> None:
    """The pagination landmark is a <nav> labelled "Pagination"."""
    elements = pagination(number, f"/organisations/?page={number}", pages=2)
    nav = [e for e in elements if e.tag == "nav"]
    assert len(nav) == 1 and nav[0].attrs["aria-label"] == "Pagination"


def test_it_does_not_mark_optional_fields_when_every_field_is_optional() -> None:
    """In a form of only optional fields (a filter form) no label says "(optional)"."""
    html = "".join(
        render_to_string("components/field.html", {"field": field}) for field in FilterForm()
    )
    assert "Search" in html and "Kind" in html
    assert "(optional)" not in html


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        label="Priority",
        choices=[("low", "Low"), ("high", "High")],
        widget=forms.RadioSelect,
        help_text="How soon the secretariat should answer.",
    )


def test_it_renders_radios_in_a_fieldset_described_by_hint_and_error() -> None:
    """Radios sit in a fieldset whose legend is the label; hint and error describe the group."""
    elements = render_fields(PriorityForm(data={}))
    radios = [e for e in elements if e.tag == "input"]
    assert [(e.attrs["type"], e.attrs["value"]) for e in radios] == [
        ("radio", "low"),
        ("radio", "high"),
    ]
    assert all(e.classes == {"govuk-radios__input"} for e in radios)
    fieldset = next(e for e in elements if e.tag == "fieldset")
    assert fieldset.attrs["aria-describedby"] == "id_priority-hint id_priority-error"
    assert [text(e) for e in with_class(elements, "govuk-fieldset__legend")] == ["Priority"]
    assert len(with_class(elements, "govuk-error-message")) == 1


def test_it_keeps_the_chosen_radio_checked() -> None:
    """The submitted choice stays checked when the form is shown again."""
    elements = render_fields(PriorityForm(data={"priority": "high"}))
    checked = [e.attrs["value"] for e in elements if e.tag == "input" and "checked" in e.attrs]
    assert checked == ["high"]
