"""Reads of guidelines, always through the reader's scope."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

from polku.accounts.models import User
from polku.core.permissions import AnyUser, get_in_scope
from polku.guidelines.choices import PUBLIC_STATUSES, GuidelineStatus
from polku.guidelines.diff import Comparison, compare
from polku.guidelines.models import (
    Comment,
    Consultation,
    Guideline,
    GuidelineAudience,
    GuidelineEvent,
    GuidelineText,
    GuidelineVersion,
    Invitation,
    Statement,
    Subscription,
)
from polku.guidelines.permissions import (
    comment_scope,
    guideline_scope,
    invitation_scope,
    invited_rounds,
    readable_versions,
    reading_version_id,
    reads_all_versions,
)
from polku.taxonomy.models import Category

LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class PlacedComments:
    """Comments placed on the paragraphs of one text; `detached` lost their paragraph."""

    by_paragraph: dict[str, list[Comment]] = field(default_factory=dict)
    on_whole: list[Comment] = field(default_factory=list)
    detached: list[Comment] = field(default_factory=list)


def place_comments(*, text: GuidelineText, comments: Iterable[Comment]) -> PlacedComments:
    """Puts each comment on the paragraph with its id in this text, whichever version it was on."""
    ids = {item["id"] for item in text.paragraphs}
    placed = PlacedComments()
    for comment in comments:
        if comment.language != text.language:
            continue
        if not comment.paragraph_id:
            placed.on_whole.append(comment)
        elif comment.paragraph_id in ids:
            placed.by_paragraph.setdefault(comment.paragraph_id, []).append(comment)
        else:
            placed.detached.append(comment)
    return placed


def version_text(
    *, versions: QuerySet[GuidelineVersion], number: int, language: str
) -> GuidelineText:
    """The text in a language of one of `versions` (404 when either is not there)."""
    text = (
        GuidelineText.objects.filter(
            version__in=versions, version__number=number, language=language
        )
        .select_related("version")
        .first()
    )
    if text is None:
        raise Http404
    return text


def version_comparison(
    *, user: AnyUser, guideline: Guideline, old_number: int, new_number: int, language: str
) -> Comparison:
    """Two versions the user may read of the text in one language, paragraph by paragraph."""
    versions = readable_versions(user, guideline)
    old = version_text(versions=versions, number=old_number, language=language)
    new = version_text(versions=versions, number=new_number, language=language)
    return compare(old.paragraphs, new.paragraphs)


@dataclass(frozen=True)
class ReportParagraph:
    """One paragraph of the consulted version, with the comments made on it."""

    number: int
    paragraph_id: str
    text: str
    comments: list[Comment]


@dataclass(frozen=True)
class ReportSection:
    """The report for one language of the consulted version."""

    language: str
    paragraphs: list[ReportParagraph]
    on_whole: list[Comment]

    @property
    def comment_count(self) -> int:
        return len(self.on_whole) + sum(len(item.comments) for item in self.paragraphs)


@dataclass(frozen=True)
class ConsultationReport:
    """Every comment of a round with its answer, by paragraph, and the official statements."""

    consultation: Consultation
    sections: list[ReportSection]
    statements: list[Statement]
    counts: dict[str, int]
    total: int

    @property
    def unanswered(self) -> int:
        return self.counts.get("", 0)


def _comments(consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.select_related(
        "author", "organisation", "statement__organisation", "answered_by"
    ).order_by("language", "paragraph_position", "created_at", "pk")


def consultation_report(*, consultation: Consultation) -> ConsultationReport:
    """The report of a round: the caller has checked the reader may see it (can_see_report)."""
    comments = list(_comments(consultation))
    texts = GuidelineText.objects.filter(version_id=consultation.version_id)
    order = {code: index for index, code in enumerate(LANGUAGE_ORDER)}
    sections = []
    for text in sorted(texts, key=lambda text: order.get(text.language, 99)):
        placed = place_comments(text=text, comments=comments)
        sections.append(
            ReportSection(
                language=text.language,
                paragraphs=[
                    ReportParagraph(
                        number=index + 1,
                        paragraph_id=item["id"],
                        text=item["text"],
                        comments=placed.by_paragraph.get(item["id"], []),
                    )
                    for index, item in enumerate(text.paragraphs)
                ],
                on_whole=placed.on_whole,
            )
        )
    counts: dict[str, int] = {}
    for comment in comments:
        counts[comment.response] = counts.get(comment.response, 0) + 1
    statements = list(
        consultation.statements.select_related("organisation", "submitted_by").order_by(
            "organisation__name"
        )
    )
    return ConsultationReport(
        consultation=consultation,
        sections=sections,
        statements=statements,
        counts=counts,
        total=len(comments),
    )


def consultation_get(*, user: AnyUser, guideline: Guideline, pk: object) -> Consultation:
    """A round of a guideline the user can see; its page is for drafters and invitees (404)."""
    consultation = get_in_scope(
        Consultation.objects.filter(guideline=guideline).select_related(
            "guideline", "version", "opened_by"
        ),
        pk=pk,
    )
    consultation.guideline = guideline
    return consultation


def consultation_comments(*, user: AnyUser, consultation: Consultation) -> QuerySet[Comment]:
    """The round's comments the user may read, by language, paragraph and time."""
    return (
        comment_scope(user, consultation)
        .select_related("author", "organisation", "statement__organisation", "answered_by")
        .order_by("language", "paragraph_position", "created_at", "pk")
    )


def consultation_invitations(*, consultation: Consultation) -> QuerySet[Invitation]:
    return consultation.invitations.select_related("organisation", "user").order_by(
        "organisation__name", "user__last_name", "user__first_name"
    )


def _with_particulars(guidelines: QuerySet[Guideline]) -> QuerySet[Guideline]:
    return guidelines.select_related("organisation").prefetch_related(
        Prefetch("audiences", queryset=GuidelineAudience.objects.order_by("audience")),
        Prefetch(
            "categories",
            queryset=Category.objects.select_related("typology").order_by("order", "code"),
        ),
    )


def guideline_library(
    *,
    user: AnyUser,
    search: str = "",
    audience: str = "",
    sector: Category | None = None,
    exploitation_form: Category | None = None,
) -> QuerySet[Guideline]:
    """Published guidelines, searched in their titles, scope and published texts."""
    guidelines = guideline_scope(user).filter(status=GuidelineStatus.PUBLISHED)
    if search:
        in_text = GuidelineText.objects.filter(version_id=OuterRef("published_version_id")).filter(
            Q(title__icontains=search) | Q(body__icontains=search)
        )
        guidelines = guidelines.filter(
            Q(title__icontains=search) | Q(scope__icontains=search) | Exists(in_text)
        )
    if audience:
        guidelines = guidelines.filter(audiences__audience=audience)
    for category in (sector, exploitation_form):
        if category is not None:
            guidelines = guidelines.filter(category_links__category=category)
    return _with_particulars(guidelines).order_by("-published_at", "title")


def guideline_workspace(*, user: AnyUser) -> QuerySet[Guideline]:
    """Guidelines being drafted or consulted on that the user may see, newest change first.

    Each carries `shown_title` and `shown_version`: the current ones for drafters, and for an
    invitee those of the version put to the newest round they are invited to.
    """
    guidelines = _with_particulars(guideline_scope(user).exclude(status__in=PUBLIC_STATUSES))
    if reads_all_versions(user):
        guidelines = guidelines.annotate(
            shown_title=F("title"), shown_version=F("current_version__number")
        )
    else:
        newest = Consultation.objects.filter(
            guideline=OuterRef("pk"),
            pk__in=invitation_scope(user).values("consultation_id"),
        ).order_by("-number")
        # The round's version in the guideline's language, else in any language it has:
        # never the current title, which a later draft may have changed.
        title = (
            GuidelineText.objects.filter(version_id=OuterRef("shown_version_id"))
            .annotate(
                preference=Case(
                    When(language=OuterRef(OuterRef("language")), then=Value(0)),
                    *(
                        When(language=code, then=Value(index + 1))
                        for index, code in enumerate(LANGUAGE_ORDER)
                    ),
                    default=Value(len(LANGUAGE_ORDER) + 1),
                )
            )
            .order_by("preference")
            .values("title")[:1]
        )
        guidelines = guidelines.annotate(
            shown_version_id=Subquery(newest.values("version_id")[:1]),
            shown_version=Subquery(newest.values("version__number")[:1]),
            shown_title=Coalesce(Subquery(title), F("title")),
        )
    return guidelines.order_by("status", "-updated_at")


def guideline_get(*, user: AnyUser, slug: str) -> Guideline:
    """One guideline from the user's scope, by its stable address (404 outside it)."""
    return get_in_scope(
        _with_particulars(guideline_scope(user)).select_related(
            "current_version",
            "published_version",
            "approved_by_body",
            "approval_decision",
            "superseded_by",
            "replaces",
        ),
        slug=slug,
    )


def version_texts(*, version_id: int | None) -> dict[str, GuidelineText]:
    """A version's texts by language, in the site's language order."""
    if version_id is None:
        return {}
    texts = {
        text.language: text
        for text in GuidelineText.objects.filter(version_id=version_id).select_related("version")
    }
    return {code: texts[code] for code in LANGUAGE_ORDER if code in texts}


def choose_language(texts: dict[str, GuidelineText], wanted: str, fallback: str) -> str:
    """The asked-for language if the version has it, else the reader's, else the main one."""
    for code in (wanted, (get_language() or "")[:2], fallback):
        if code in texts:
            return code
    return next(iter(texts), fallback)


def guideline_versions(*, user: AnyUser, guideline: Guideline) -> QuerySet[GuidelineVersion]:
    """The versions the user may read, newest first."""
    return readable_versions(user, guideline).select_related("created_by").order_by("-number")


def versions_languages(*, versions: Iterable[GuidelineVersion]) -> list[str]:
    """The languages any of the versions has a text in, in the site's language order."""
    found = set(
        GuidelineText.objects.filter(version__in=[version.pk for version in versions])
        .values_list("language", flat=True)
        .distinct()
    )
    return [code for code in LANGUAGE_ORDER if code in found]


def reading_text_title(
    *,
    user: AnyUser,
    guideline: Guideline,
    version_id: int | None = None,
) -> str:
    """The guideline's title as the user reads it: from the version they may read.

    A later draft may retitle the guideline; its invitees of earlier rounds keep seeing the
    title of the version they were consulted on, in the guideline's language or else in any
    language that version has. `version_id` names the version when a page shows a particular
    round's; by default, the version the user reads.
    """
    if reads_all_versions(user) or guideline.is_public:
        return guideline.title
    if version_id is None:
        version_id = reading_version_id(user, guideline)
    texts = version_texts(version_id=version_id)
    text = texts.get(guideline.language) or next(iter(texts.values()), None)
    return text.title if text is not None else guideline.title


def guideline_history(*, guideline: Guideline) -> QuerySet[GuidelineEvent]:
    return guideline.events.select_related("actor").order_by("created_at", "pk")


def latest_consultation(*, guideline: Guideline) -> Consultation | None:
    return guideline.consultations.select_related("version").order_by("-number").first()


def reading_consultation(*, user: AnyUser, guideline: Guideline) -> Consultation | None:
    """The round shown on the guideline's page: the latest for drafters, else the user's newest."""
    if reads_all_versions(user):
        return latest_consultation(guideline=guideline)
    return invited_rounds(user, guideline).select_related("version").first()


def user_subscribed(*, user: AnyUser, guideline: Guideline) -> bool:
    return (
        isinstance(user, User)
        and Subscription.objects.filter(guideline=guideline, user=user).exists()
    )


def published_reports(*, guideline: Guideline) -> QuerySet[Consultation]:
    return guideline.consultations.filter(report_published_at__isnull=False).order_by("number")


def statement_comments(
    *, user: User, consultation: Consultation, organisation_id: int
) -> QuerySet[Comment]:
    """The organisation's comments not yet in a statement, for gathering."""
    return (
        consultation.comments.filter(organisation_id=organisation_id, statement__isnull=True)
        .select_related("author")
        .order_by("paragraph_position", "created_at")
    )
