"""Comments stay on their paragraph from version to version: paragraphs inserted or removed
before (or after) it, and light edits to it, do not move a comment to another paragraph."""

from datetime import timedelta

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Personas
from polku.guidelines import selectors, services
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Guideline, GuidelineText
from polku.guidelines.paragraphs import anchor, split

OLD_WORDS = [
    "victim",
    "police",
    "interpreter",
    "shelter",
    "referral",
    "inspector",
    "border",
    "prosecutor",
    "assistance",
    "identification",
    "recruiter",
    "employer",
    "debt",
    "passport",
    "residence",
    "permit",
    "municipality",
    "social",
    "worker",
    "health",
    "nurse",
    "court",
    "evidence",
    "statement",
    "reflection",
    "period",
    "guardian",
    "child",
]
NEW_WORDS = [
    "xylophone",
    "quartz",
    "zephyr",
    "jukebox",
    "kayak",
    "walrus",
    "fjord",
    "oxygen",
    "yacht",
    "vortex",
    "wizard",
    "banjo",
    "cobalt",
    "dwarf",
    "gazebo",
    "haiku",
    "iguana",
    "jigsaw",
    "lynx",
    "mango",
    "nebula",
    "opal",
    "pixel",
    "quiver",
]


def _paragraph(words: list[str]) -> str:
    return " ".join(words).capitalize() + "."


old_paragraph = st.lists(st.sampled_from(OLD_WORDS), min_size=6, max_size=14).map(_paragraph)
new_paragraph = st.lists(st.sampled_from(NEW_WORDS), min_size=6, max_size=14).map(_paragraph)


@st.composite
def edits(draw: st.DrawFn) -> tuple[list[str], int, list[str], str]:
    """An old text, the commented paragraph's index, the new text, and its new wording."""
    old = draw(st.lists(old_paragraph, min_size=1, max_size=12, unique=True))
    commented = draw(st.integers(min_value=0, max_value=len(old) - 1))
    kept = [
        text
        for index, text in enumerate(old)
        if index == commented or draw(st.booleans()) or draw(st.booleans())
    ]
    wording = old[commented]
    if draw(st.booleans()):
        # A light edit: one word replaced, one added.
        words = wording.rstrip(".").split(" ")
        position = draw(st.integers(min_value=1, max_value=len(words) - 1))
        words[position] = draw(st.sampled_from(OLD_WORDS))
        words.append(draw(st.sampled_from(OLD_WORDS)))
        wording = " ".join(words) + "."
    kept = [wording if text == old[commented] else text for text in kept]
    inserted = draw(st.lists(new_paragraph, max_size=6, unique=True))
    new = list(kept)
    for text in inserted:
        new.insert(draw(st.integers(min_value=0, max_value=len(new))), text)
    return old, commented, new, wording


@settings(max_examples=300, deadline=None)
@given(edits())
def test_the_commented_paragraph_keeps_its_id(case: tuple[list[str], int, list[str], str]) -> None:
    """Whatever is inserted or removed around it, the paragraph keeps its id and its words."""
    old_texts, commented, new_texts, wording = case
    first = anchor([], old_texts)
    second = anchor(first, new_texts)
    comment_on = first[commented]["id"]
    found = [item for item in second if item["id"] == comment_on]
    assert [item["text"] for item in found] == [wording]
    # Every paragraph that survived unchanged keeps its id; no id is given twice.
    ids_before = {item["text"]: item["id"] for item in first}
    for item in second:
        if item["text"] in ids_before:
            assert item["id"] == ids_before[item["text"]]
    assert len({item["id"] for item in second}) == len(second)


@settings(max_examples=100, deadline=None)
@given(st.lists(old_paragraph, min_size=2, max_size=10, unique=True), st.data())
def test_a_removed_paragraph_takes_its_id_away(paragraphs: list[str], data: st.DataObject) -> None:
    """A comment on a paragraph that was removed finds no paragraph to attach to."""
    first = anchor([], paragraphs)
    removed = data.draw(st.integers(min_value=0, max_value=len(paragraphs) - 1))
    second = anchor(first, [text for index, text in enumerate(paragraphs) if index != removed])
    assert first[removed]["id"] not in {item["id"] for item in second}


def test_it_splits_markdown_into_top_level_blocks() -> None:
    """Headings, paragraphs, whole lists, quotes and code blocks are one paragraph each."""
    body = (
        "## Who\n\nPolice and\nborder guards.\n\n- one\n- two\n\n  still two\n\n"
        "> a quote\n\n```\ncode\n\nmore code\n```"
    )
    assert split(body) == [
        "## Who",
        "Police and\nborder guards.",
        "- one\n- two\n\n  still two",
        "> a quote",
        "```\ncode\n\nmore code\n```",
    ]


def test_a_comment_follows_its_paragraph_through_saved_versions(personas: Personas) -> None:
    """Made on version 1, a comment is shown on the same paragraph of version 3."""
    drafter = personas.secretariat
    guideline = services.guideline_create(
        actor=drafter,
        data=services.GuidelineInput(organisation=personas.interior, audiences=["police"]),
        title="Interviews",
        body="Intro.\n\nUse an interpreter the person trusts.\n\nClose the interview kindly.",
    )
    consultation = services.consultation_open(
        actor=drafter,
        guideline=guideline,
        deadline=timezone.localdate() + timedelta(days=3),
        people=[personas.ngo],
    )
    first = GuidelineText.objects.get(version=consultation.version)
    target = first.paragraphs[1]
    comment = services.comment_add(
        actor=personas.ngo,
        consultation=consultation,
        body="Say who books the interpreter.",
        language="en",
        paragraph_id=target["id"],
        proposed_text="Book an interpreter the person trusts, through the police.",
    )
    Guideline.objects.filter(pk=guideline.pk).update(status=GuidelineStatus.REVISED)
    services.guideline_save_text(
        actor=drafter,
        guideline=guideline,
        language="en",
        title="Interviews",
        body="New first.\n\nIntro.\n\nUse an interpreter the person trusts.\n\nClose kindly.",
    )
    third = services.guideline_save_text(
        actor=drafter,
        guideline=guideline,
        language="en",
        title="Interviews",
        body="New first.\n\nUse an interpreter whom the person trusts.\n\nClose kindly.",
    )
    text = GuidelineText.objects.get(version=third, language="en")
    placed = selectors.place_comments(text=text, comments=[comment])
    assert [c.pk for c in placed.by_paragraph[target["id"]]] == [comment.pk]
    assert text.paragraphs[1]["id"] == target["id"]
    assert text.paragraphs[1]["text"] == "Use an interpreter whom the person trusts."
    assert placed.detached == []
    final = services.guideline_save_text(
        actor=drafter,
        guideline=guideline,
        language="en",
        title="Interviews",
        body="New first.\n\nClose kindly.",
    )
    gone = selectors.place_comments(
        text=GuidelineText.objects.get(version=final, language="en"), comments=[comment]
    )
    assert gone.by_paragraph == {}
    assert [c.pk for c in gone.detached] == [comment.pk]


def test_it_keeps_every_version_and_compares_any_two(personas: Personas) -> None:
    """Versions 1 and 3 compare paragraph by paragraph, with changed words marked."""
    drafter = personas.coordinator
    guideline = services.guideline_create(
        actor=drafter,
        data=services.GuidelineInput(organisation=personas.interior, audiences=["police"]),
        title="Night shifts",
        body="Call the duty officer.\n\nWrite down the time.",
    )
    for body in (
        "Call the duty officer.\n\nWrite down the time and place.",
        "Before anything else, check the person is safe.\n\nCall the duty officer.\n\n"
        "Write down the exact time and place.",
    ):
        services.guideline_save_text(
            actor=drafter, guideline=guideline, language="en", title="Night shifts", body=body
        )
    assert list(guideline.versions.values_list("number", flat=True)) == [3, 2, 1]
    comparison = selectors.version_comparison(
        user=drafter, guideline=guideline, old_number=1, new_number=3, language="en"
    )
    assert [row.kind for row in comparison.rows] == ["added", "same", "changed"]
    changed = comparison.rows[2]
    added = "".join(segment.text for segment in changed.new if segment.change == "added")
    removed = "".join(segment.text for segment in changed.old if segment.change == "removed")
    assert "exact" in added
    assert "place." in added
    assert removed == "time."
    assert "".join(segment.text for segment in changed.old) == "Write down the time."
