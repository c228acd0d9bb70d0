"""A consultation round: the drafter invites organisations and people with a deadline,
invitees comment on paragraphs (or on the whole), an organisation gathers its comments into an
official statement, the drafter answers every comment after the deadline, and the report
lists every comment with its answer by paragraph."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import Personas
from polku.actors.tests.factories import make_membership, make_user
from polku.guidelines import selectors, services
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Comment, Consultation, Guideline, GuidelineText, Statement
from polku.guidelines.tests.factories import make_comment, make_consultation, make_guideline
from polku.notifications.models import Notification

S = GuidelineStatus


@pytest.fixture
def guideline(personas: Personas) -> Guideline:
    return make_guideline(organisation=personas.interior, created_by=personas.secretariat)


def _open(personas: Personas, guideline: Guideline, **overrides: object) -> Consultation:
    values: dict[str, object] = {
        "actor": personas.secretariat,
        "guideline": guideline,
        "deadline": timezone.localdate() + timedelta(days=21),
        "organisations": [personas.ngo_org],
        "people": [personas.practitioner],
        "introduction": "Is the referral step clear?",
    }
    values.update(overrides)
    return services.consultation_open(**values)  # type: ignore[arg-type]


def _paragraphs(consultation: Consultation) -> list[dict[str, str]]:
    paragraphs: list[dict[str, str]] = GuidelineText.objects.get(
        version=consultation.version, language="en"
    ).paragraphs
    return paragraphs


def test_it_opens_a_round_and_tells_the_invitees(personas: Personas, guideline: Guideline) -> None:
    """Members of invited organisations and invited people are told, with the deadline."""
    colleague = make_user(username="colleague")
    make_membership(user=colleague, organisation=personas.ngo_org, role="practitioner")
    consultation = _open(personas, guideline)
    assert consultation.number == 1
    assert consultation.version == guideline.current_version
    told = set(
        Notification.objects.filter(kind="guideline_consultation").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"ngo", "colleague", "practitioner"}
    note = Notification.objects.filter(recipient=personas.ngo).get()
    assert guideline.title in note.title
    assert note.url == consultation.get_absolute_url()


def test_it_refuses_a_round_without_invitees_or_with_a_past_deadline(
    personas: Personas, guideline: Guideline
) -> None:
    """Both are refused field by field, and the guideline stays a draft."""
    with pytest.raises(ValidationError) as refused:
        _open(
            personas,
            guideline,
            organisations=[],
            people=[],
            deadline=timezone.localdate() - timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"organisations", "deadline"}
    with pytest.raises(ValidationError) as outsider:
        _open(personas, guideline, organisations=[], people=[personas.outsider])
    assert "people" in outsider.value.message_dict
    guideline.refresh_from_db()
    assert guideline.status == S.DRAFT
    assert not Consultation.objects.exists()


def test_invitees_comment_on_paragraphs_and_on_the_whole(
    personas: Personas, guideline: Guideline
) -> None:
    """A paragraph comment keeps the paragraph's id, number and words, and any proposed text."""
    consultation = _open(personas, guideline)
    second = _paragraphs(consultation)[1]
    comment = services.comment_add(
        actor=personas.ngo,
        consultation=consultation,
        body="Mention that the person may refuse.",
        language="en",
        paragraph_id=second["id"],
        proposed_text="Tell the person what happens next and that they may say no.",
    )
    assert comment.organisation == personas.ngo_org
    assert comment.paragraph_position == 2
    assert comment.paragraph_text == second["text"]
    assert comment.version == consultation.version
    whole = services.comment_add(
        actor=personas.practitioner,
        consultation=consultation,
        body="The guideline should say who pays for interpreting.",
        language="en",
    )
    assert whole.on_whole
    assert whole.organisation == personas.police


@pytest.mark.parametrize("persona", ["secretariat2", "decisionmaker", "rapporteur", "outsider"])
def test_uninvited_people_cannot_comment(
    personas: Personas, guideline: Guideline, persona: str
) -> None:
    consultation = _open(personas, guideline)
    with pytest.raises(PermissionDenied):
        services.comment_add(
            actor=getattr(personas, persona), consultation=consultation, body="x", language="en"
        )
    assert not Comment.objects.exists()


def test_it_refuses_bad_comments(personas: Personas, guideline: Guideline) -> None:
    """Empty text, an unknown paragraph, a missing language and proposals on the whole."""
    consultation = _open(personas, guideline)
    cases = [
        ({"body": "  ", "language": "en"}, "body"),
        ({"body": "x", "language": "en", "paragraph_id": "p00000000"}, "paragraph_id"),
        ({"body": "x", "language": "sv"}, "language"),
        ({"body": "x", "language": "en", "proposed_text": "New text."}, "proposed_text"),
    ]
    for arguments, field in cases:
        with pytest.raises(ValidationError) as refused:
            services.comment_add(actor=personas.ngo, consultation=consultation, **arguments)
        assert field in refused.value.message_dict
    assert not Comment.objects.exists()


def test_no_comments_after_the_deadline_or_once_closed(
    personas: Personas, guideline: Guideline
) -> None:
    consultation = _open(personas, guideline)
    services.consultation_close(actor=personas.secretariat, consultation=consultation)
    consultation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=personas.ngo, consultation=consultation, body="x", language="en")
    late = make_guideline(organisation=personas.interior, status=S.CONSULTATION)
    ended = make_consultation(guideline=late, organisations=(personas.ngo_org,), days_left=-1)
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=personas.ngo, consultation=ended, body="x", language="en")


def test_more_people_can_be_invited_while_the_round_is_open(
    personas: Personas, guideline: Guideline
) -> None:
    consultation = _open(personas, guideline)
    services.consultation_invite(
        actor=personas.secretariat, consultation=consultation, organisations=[personas.police]
    )
    assert consultation.invitations.count() == 3
    with pytest.raises(ValidationError):
        services.consultation_invite(
            actor=personas.secretariat, consultation=consultation, organisations=[personas.police]
        )
    with pytest.raises(PermissionDenied):
        services.consultation_invite(
            actor=personas.ngo, consultation=consultation, organisations=[personas.justice]
        )


def test_an_organisation_gathers_its_comments_into_one_statement(
    personas: Personas, guideline: Guideline
) -> None:
    """Only its own members, only its own comments, and once per round."""
    colleague = make_user(username="colleague")
    make_membership(user=colleague, organisation=personas.ngo_org, role="practitioner")
    consultation = _open(personas, guideline)
    paragraphs = _paragraphs(consultation)
    ours = [
        services.comment_add(
            actor=author,
            consultation=consultation,
            body=f"Comment {index}",
            language="en",
            paragraph_id=paragraphs[index]["id"],
        )
        for index, author in enumerate([personas.ngo, colleague])
    ]
    theirs = services.comment_add(
        actor=personas.practitioner, consultation=consultation, body="Police view", language="en"
    )
    with pytest.raises(ValidationError):
        services.statement_submit(
            actor=personas.ngo,
            consultation=consultation,
            organisation=personas.ngo_org,
            text="Our statement.",
            comments=[*ours, theirs],
        )
    with pytest.raises(PermissionDenied):
        services.statement_submit(
            actor=personas.practitioner,
            consultation=consultation,
            organisation=personas.ngo_org,
            text="Not ours to give.",
            comments=ours,
        )
    statement = services.statement_submit(
        actor=colleague,
        consultation=consultation,
        organisation=personas.ngo_org,
        text="Victim Support NGO supports the guideline with the changes below.",
        comments=ours,
    )
    assert set(statement.comments.all()) == set(ours)
    with pytest.raises(ValidationError, match="already given"):
        services.statement_submit(
            actor=personas.ngo,
            consultation=consultation,
            organisation=personas.ngo_org,
            text="Again.",
            comments=ours,
        )
    assert Statement.objects.count() == 1


def test_the_drafter_answers_after_the_deadline_with_reasons(
    personas: Personas, guideline: Guideline
) -> None:
    """No answers while open; 'not accepted' and 'partly' need a reason; 'accepted' does not."""
    consultation = _open(personas, guideline)
    comment = services.comment_add(
        actor=personas.ngo, consultation=consultation, body="Shorten it.", language="en"
    )
    with pytest.raises(PermissionDenied):
        services.comment_answer(actor=personas.secretariat, comment=comment, response="accepted")
    Consultation.objects.filter(pk=consultation.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        services.comment_answer(actor=personas.ngo, comment=comment, response="accepted")
    for response in ("partly", "not_accepted"):
        with pytest.raises(ValidationError) as refused:
            services.comment_answer(actor=personas.secretariat, comment=comment, response=response)
        assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.comment_answer(actor=personas.secretariat, comment=comment, response="maybe")
    answered = services.comment_answer(
        actor=personas.secretariat2,
        comment=comment,
        response="partly",
        reason="Shortened the introduction; the legal part stays.",
    )
    assert answered.response == "partly"
    assert answered.answered_by == personas.secretariat2


def test_the_report_lists_every_comment_with_its_answer_by_paragraph(
    personas: Personas, guideline: Guideline
) -> None:
    """Paragraphs in reading order, comments under theirs, whole-text comments apart."""
    consultation = make_consultation(
        guideline=Guideline.objects.filter(pk=guideline.pk).get(),
        organisations=(personas.ngo_org, personas.police),
        days_left=-1,
    )
    Guideline.objects.filter(pk=guideline.pk).update(status=S.CONSULTATION)
    third = make_comment(
        consultation=consultation, author=personas.ngo, organisation=personas.ngo_org, paragraph=2
    )
    first = make_comment(
        consultation=consultation,
        author=personas.practitioner,
        organisation=personas.police,
        paragraph=0,
    )
    whole = make_comment(
        consultation=consultation,
        author=personas.ngo,
        organisation=personas.ngo_org,
        paragraph=None,
    )
    for comment, response in ((third, "accepted"), (first, "not_accepted")):
        services.comment_answer(
            actor=personas.secretariat, comment=comment, response=response, reason="Because."
        )
    report = selectors.consultation_report(consultation=consultation)
    assert report.total == 3
    assert report.unanswered == 1
    assert report.counts == {"accepted": 1, "not_accepted": 1, "": 1}
    (section,) = report.sections
    assert [item.number for item in section.paragraphs] == [1, 2, 3, 4]
    assert [c.pk for c in section.paragraphs[0].comments] == [first.pk]
    assert section.paragraphs[1].comments == []
    assert [c.pk for c in section.paragraphs[2].comments] == [third.pk]
    assert [c.pk for c in section.on_whole] == [whole.pk]
    with pytest.raises(ValidationError, match="Answer every comment"):
        services.report_publish(actor=personas.secretariat, consultation=consultation)
    services.comment_answer(actor=personas.secretariat, comment=whole, response="accepted")
    published = services.report_publish(actor=personas.secretariat, consultation=consultation)
    assert published.report_published_at is not None
