"""Practitioners' challenges, their endorsements, discussion, timeline and outcomes.

Every table here has a random primary key and no automatic timestamps: a sequential id or
an exact time would let a protected challenge be ordered against its submitter's other
activity (see docs/adr/0007-protected-voice.md).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polku.actors.choices import OrganisationKind
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.voice.choices import (
    TRANSITIONS,
    ChallengeStatus,
    EventKind,
    OutcomeKind,
    Urgency,
)


class RandomIdModel(models.Model):
    """A row whose id says nothing about when it was written."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Challenge(RandomIdModel):
    """A problem a practitioner meets in their work, raised so that it is heard and acted on."""

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        through="ChallengeCategory",
        related_name="challenges",
        blank=True,
    )
    region = models.ForeignKey(
        Category,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"typology__kind": TypologyKind.REGION},
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChallengeStatus.choices,
        default=ChallengeStatus.DRAFT,
        db_index=True,
    )
    is_protected = models.BooleanField(_("protected"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_challenges",
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_challenges",
    )
    revealed_organisation_kind = models.CharField(
        _("kind of organisation (as revealed)"),
        max_length=20,
        choices=OrganisationKind.choices,
        blank=True,
    )
    revealed_region = models.ForeignKey(
        Category,
        verbose_name=_("region (as revealed)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"typology__kind": TypologyKind.REGION},
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_challenges",
    )
    triage_label = models.CharField(_("triage category"), max_length=100, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, db_index=True)
    # Orders challenges submitted on the same day without revealing which came first.
    sort_key = models.BigIntegerField(default=0, editable=False)
    acknowledge_due_on = models.DateField(_("acknowledgement due"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer due"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_challenges",
    )
    # The follow-up code of a protected challenge: a non-secret prefix to find the row and a
    # salted hash of the whole code. Both names are redacted from audit snapshots.
    followup_key_prefix = models.CharField(
        max_length=16, unique=True, null=True, blank=True, editable=False
    )
    followup_secret_hash = models.CharField(max_length=200, blank=True, editable=False)
    # Set by the services for changes made under a name; a protected submission leaves it empty.
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-submitted_on", "sort_key"]
        indexes = [
            models.Index(fields=["status", "submitted_on"]),
            models.Index(fields=["-submitted_on", "sort_key"]),
            # Covers the inbox (scope, clocks, owner filter, sort), so it reads no table rows.
            models.Index(
                fields=[
                    "status",
                    "acknowledge_due_on",
                    "answer_due_on",
                    "answered_at",
                    "owner",
                    "submitted_on",
                    "sort_key",
                    "submitted_by",
                    "id",
                ],
                name="voice_challenge_inbox_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_protected=False) | Q(submitted_by__isnull=True),
                name="voice_challenge_protected_has_no_submitter",
            ),
            models.CheckConstraint(
                condition=Q(is_protected=False) | Q(organisation__isnull=True),
                name="voice_challenge_protected_has_no_organisation",
            ),
        ]

    def __str__(self) -> str:
        if self.reference:
            return f"{self.reference} {self.title}"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:challenge_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == ChallengeStatus.DRAFT

    def can_transition_to(self, status: str) -> bool:
        """Whether the lifecycle allows moving from the current status to `status`."""
        return status in TRANSITIONS.get(self.status, frozenset())


class ChallengeCategory(RandomIdModel):
    """A sector, form of exploitation or affected group a challenge concerns."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="category_links"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("challenge category")
        verbose_name_plural = _("challenge categories")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "category"], name="voice_challengecategory_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.category)


class Endorsement(RandomIdModel):
    """ "We meet this too": a practitioner's sign that a challenge is not an isolated case."""

    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="challenge_endorsements",
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenge_endorsements",
    )
    sector = models.ForeignKey(
        Category,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"typology__kind": TypologyKind.SECTOR},
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("endorsed at"))

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="voice_endorsement_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.challenge}"


class Comment(RandomIdModel):
    """A contribution to the discussion of a challenge, by a person or by its submitter."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenge_comments",
    )
    # Written through the follow-up code of a protected challenge: no author is recorded.
    by_submitter = models.BooleanField(_("by the submitter"), default=False)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"))
    # The time is only known to the day (a protected submitter's reply).
    coarse_time = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_submitter=False) | Q(author__isnull=True),
                name="voice_comment_submitter_reply_has_no_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.body[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class StatusEvent(RandomIdModel):
    """One entry of a challenge's timeline: a status change, an answer or an outcome."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=ChallengeStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=20, choices=ChallengeStatus.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name shown on the timeline; kept as written so it survives the account.
    actor_label = models.CharField(_("by (as recorded)"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"))
    coarse_time = models.BooleanField(default=False)
    visible_to_submitter = models.BooleanField(_("visible to the submitter"), default=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["challenge", "created_at"])]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.get_kind_display()}"


class Follower(RandomIdModel):
    """Someone who asked to hear about every change to a challenge."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="followed_challenges",
    )
    created_at = models.DateTimeField(_("following since"))

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="voice_follower_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.challenge}"


class Outcome(RandomIdModel):
    """What came of a challenge: a guideline, a measure, a briefing or a decision."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    text = models.TextField(_("what happened"))
    link_type = models.ForeignKey(
        ContentType,
        verbose_name=_("linked item type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    link_id = models.CharField(_("linked item id"), max_length=64, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    url_label = models.CharField(_("link text"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["link_type", "link_id"])]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.get_kind_display()}"


class PendingAuditEntry(RandomIdModel):
    """An anonymous audit record waiting for the day's batch to seal it into the audit log.

    Written in place of an immediate audit event for acts that must not be placed in time:
    a protected submission, and the use of a follow-up code.
    """

    day = models.DateField(_("day"))
    action = models.CharField(_("what"), max_length=100)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit record waiting to be sealed")
        verbose_name_plural = _("audit records waiting to be sealed")
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.action}"


class ChallengeTerm(models.Model):
    """One of a submitted challenge's most telling character trigrams, for similar-challenge hints.

    Written only by polku.voice.similarity (see docs/adr/0010-similar-challenges.md).
    """

    pk = models.CompositePrimaryKey("challenge_id", "gram")
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    gram = models.CharField(max_length=3)
    # The trigram's share of the challenge's TF-IDF vector, scaled to whole numbers.
    weight = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("similarity term")
        verbose_name_plural = _("similarity terms")
        indexes = [models.Index(fields=["gram", "weight", "challenge"], name="voice_term_gram_idx")]

    def __str__(self) -> str:
        return self.gram


class SimilarityGram(models.Model):
    """How many indexed challenges hold a trigram; the row with the empty gram counts them all."""

    gram = models.CharField(max_length=3, primary_key=True, blank=True)
    challenge_count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("similarity trigram")
        verbose_name_plural = _("similarity trigrams")

    def __str__(self) -> str:
        return self.gram
