"""A record linked by type and id (an agenda item about a guideline) is checked against the
guidelines' own scope: linking never reveals that a draft exists."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from conftest import Personas
from polku.actors.choices import BodyRole
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Guideline
from polku.guidelines.tests.factories import make_guideline
from polku.meetings.models import AgendaItem
from polku.meetings.services.agenda import AgendaItemInput, agenda_item_add
from polku.meetings.tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_a_chair_outside_the_drafters_links_published_guidelines_but_not_drafts(
    personas: Personas,
) -> None:
    # The practitioner chairs a working group but drafts no guidelines.
    body = personas.private_group
    body.members.filter(role=BodyRole.CHAIR).delete()
    body.members.filter(user=personas.practitioner).update(role=BodyRole.CHAIR)
    meeting = make_meeting(body=body)
    guideline_type = ContentType.objects.get_for_model(Guideline)
    draft = make_guideline(organisation=personas.interior)
    published = make_guideline(organisation=personas.interior, status=GuidelineStatus.PUBLISHED)

    with pytest.raises(ValidationError) as refused:
        agenda_item_add(
            actor=personas.practitioner,
            meeting=meeting,
            data=AgendaItemInput(
                title="The draft", subject_type=guideline_type, subject_id=str(draft.pk)
            ),
        )
    assert "subject_id" in refused.value.message_dict
    assert not AgendaItem.objects.exists()

    result = agenda_item_add(
        actor=personas.practitioner,
        meeting=meeting,
        data=AgendaItemInput(
            title="The published one", subject_type=guideline_type, subject_id=str(published.pk)
        ),
    )
    assert result.item.subject_id == str(published.pk)
