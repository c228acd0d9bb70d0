"""Policy guidelines, their versions and texts, consultation rounds and subscriptions.

A version holds the text in every language the guideline has (docs/adr/0015-guidelines.md):
saving a language's text writes a new version that carries the other languages unchanged.
Each text keeps its Markdown split into paragraphs with stable ids, so comments made on one
version find their paragraph in the next.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.actors.models import Body, Organisation
from polku.core.models import TrackedModel
from polku.guidelines.choices import (
    EDITABLE_STATUSES,
    PUBLIC_STATUSES,
    TRANSITIONS,
    Audience,
    EventKind,
    GuidelineStatus,
    Response,
)
from polku.taxonomy.models import Category


class Guideline(TrackedModel):
    """A policy guideline drafted by the coordination with the people who will use it."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("main language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    scope = models.TextField(_("scope"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="guidelines",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GuidelineStatus.choices,
        default=GuidelineStatus.DRAFT,
        db_index=True,
    )
    # The languages of the current version, e.g. "en,fi", kept by the services.
    languages = models.CharField(_("languages"), max_length=40, blank=True)
    current_version = models.ForeignKey(
        "GuidelineVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_version = models.ForeignKey(
        "GuidelineVersion",
        verbose_name=_("published version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    challenges = models.ManyToManyField(
        "voice.Challenge",
        verbose_name=_("challenges it addresses"),
        through="GuidelineChallenge",
        related_name="+",
        blank=True,
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("sectors and forms of exploitation"),
        through="GuidelineCategory",
        related_name="+",
        blank=True,
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("A published guideline this one supersedes when it is published."),
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by_body = models.ForeignKey(
        Body,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Approval as a decision of a body recorded in meetings; the link runs one way only.
    approval_decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("approval decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_note = models.TextField(_("approval note"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guidelines:guideline_detail", kwargs={"slug": self.slug})

    def can_transition_to(self, status: str) -> bool:
        """Whether the lifecycle allows moving from the current status to `status`."""
        return status in TRANSITIONS.get(self.status, frozenset())

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.published_version_id is not None

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class GuidelineAudience(models.Model):
    """A group of practitioners a guideline is written for."""

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "audience"], name="guidelines_audience_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_audience_display()


class GuidelineCategory(models.Model):
    """A sector or form of exploitation a guideline concerns."""

    guideline = models.ForeignKey(
        Guideline, on_delete=models.CASCADE, related_name="category_links"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("guideline category")
        verbose_name_plural = _("guideline categories")
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "category"], name="guidelines_category_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.category)


class GuidelineChallenge(models.Model):
    """A practitioners' challenge the guideline answers; publication reports back to it."""

    guideline = models.ForeignKey(
        Guideline, on_delete=models.CASCADE, related_name="challenge_links"
    )
    challenge = models.ForeignKey("voice.Challenge", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("challenge addressed")
        verbose_name_plural = _("challenges addressed")
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "challenge"], name="guidelines_challenge_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.challenge_id)


class GuidelineVersion(models.Model):
    """One saved state of a guideline's texts; every version is kept."""

    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["guideline", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "number"], name="guidelines_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guideline} v{self.number}"


class GuidelineText(models.Model):
    """A version's text in one language: Markdown, and its paragraphs with their ids."""

    version = models.ForeignKey(
        GuidelineVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="texts"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # [{"id": "p3f9a1c2e", "text": "…Markdown of one block…"}, …] in reading order.
    paragraphs = models.JSONField(_("paragraphs"), default=list)

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="guidelines_text_once")
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"

    def paragraph(self, paragraph_id: str) -> dict[str, Any] | None:
        for item in self.paragraphs:
            if item["id"] == paragraph_id:
                found: dict[str, Any] = item
                return found
        return None


class Consultation(models.Model):
    """A round in which invited organisations and people comment on one version."""

    guideline = models.ForeignKey(
        Guideline,
        verbose_name=_("guideline"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    version = models.ForeignKey(
        GuidelineVersion,
        verbose_name=_("version consulted on"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    number = models.PositiveSmallIntegerField(_("round"))
    introduction = models.TextField(_("what the drafters ask"), blank=True)
    deadline = models.DateField(_("comments by"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    report_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        ordering = ["guideline", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "number"], name="guidelines_consultation_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guideline} — {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "guidelines:consultation_detail",
            kwargs={"slug": self.guideline.slug, "pk": self.pk},
        )

    @property
    def is_open(self) -> bool:
        """Comments are taken until the end of the deadline day, unless closed early."""
        return self.closed_at is None and timezone.localdate() <= self.deadline

    @property
    def has_ended(self) -> bool:
        return not self.is_open


class Invitation(models.Model):
    """An organisation (all its members) or one person asked to comment in a round."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guideline_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, user__isnull=False)
                | Q(organisation__isnull=False, user__isnull=True),
                name="guidelines_invitation_one_invitee",
            ),
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                condition=Q(organisation__isnull=False),
                name="guidelines_invitation_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(user__isnull=False),
                name="guidelines_invitation_user_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.user)


class Statement(models.Model):
    """An organisation's official statement: its members' comments gathered under one text."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("statement"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("official statement")
        verbose_name_plural = _("official statements")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="guidelines_statement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.consultation}"


class Comment(models.Model):
    """A comment on one paragraph (or on the whole text), with the drafters' answer."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="guideline_comments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.ForeignKey(
        GuidelineVersion,
        verbose_name=_("version commented on"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # Empty for a comment on the whole guideline.
    paragraph_id = models.CharField(_("paragraph"), max_length=20, blank=True)
    paragraph_position = models.PositiveIntegerField(_("paragraph number"), null=True, blank=True)
    paragraph_text = models.TextField(_("paragraph as commented"), blank=True)
    body = models.TextField(_("comment"))
    proposed_text = models.TextField(_("proposed text"), blank=True)
    created_at = models.DateTimeField(_("written at"))
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("official statement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    response = models.CharField(_("answer"), max_length=20, choices=Response.choices, blank=True)
    response_reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["consultation", "paragraph_position", "created_at"]
        indexes = [models.Index(fields=["consultation", "paragraph_id"])]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_answered(self) -> bool:
        return bool(self.response)

    @property
    def on_whole(self) -> bool:
        return not self.paragraph_id


class Subscription(models.Model):
    """Someone who asked to be told when a guideline changes."""

    guideline = models.ForeignKey(
        Guideline,
        verbose_name=_("guideline"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="guideline_subscriptions",
    )
    created_at = models.DateTimeField(_("subscribed at"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["guideline", "user"], name="guidelines_subscribe_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.guideline}"


class GuidelineEvent(models.Model):
    """One entry of a guideline's history: created, a new version, a status change."""

    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=GuidelineStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=20, choices=GuidelineStatus.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["guideline", "created_at"]

    def __str__(self) -> str:
        return f"{self.guideline}: {self.get_kind_display()}"
