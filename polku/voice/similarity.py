"""Similar challenges: character trigrams of accent-folded words, weighted like TF-IDF.

Finnish inflects heavily ("uhri", "uhrien", "uhreille") and Swedish and English less so;
no stemmer covers all three without a dependency, but the words of one stem share their
first letters, so trigrams of the words match across inflections. Each submitted challenge
keeps its TERMS_PER_CHALLENGE highest-weighted trigrams in `ChallengeTerm`;
`SimilarityGram` counts how many challenges hold each trigram (the document frequency).
A lookup finds candidates that share the query's rarest trigrams with one aggregate query,
then scores the best candidates exactly by the cosine of their full TF-IDF vectors.
See docs/adr/0010-similar-challenges.md.
"""

import heapq
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import connection, transaction
from django.db.models import QuerySet

from polku.core.permissions import AnyUser
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, ChallengeTerm, SimilarityGram
from polku.voice.selectors import challenge_list

GRAM_LENGTH = 3
# How many trigrams of each challenge are kept for finding candidates.
TERMS_PER_CHALLENGE = 48
# How many of the query's rarest trigrams are looked up, and how many candidates are scored.
QUERY_GRAMS = 16
CANDIDATES = 20
# How many of a trigram's heaviest index rows a lookup reads.
POSTINGS_PER_GRAM = 400
# The title names the problem, so its words count twice.
TITLE_WEIGHT = 2
# Stored weights are whole numbers: a vector component times WEIGHT_SCALE.
WEIGHT_SCALE = 10_000
# Below this cosine a challenge is not shown as similar.
MIN_SCORE = 0.12
# Only the start of a long description is compared while typing.
QUERY_TEXT_LIMIT = 2_000
# The SimilarityGram row with this gram counts the indexed challenges.
TOTAL = ""

_WORD = re.compile(r"[^\W_]+")
# The combining accents NFKD splits off Latin letters (ä -> a + U+0308).
_COMBINING = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lowercase without accents: "Löydy Å" -> "loydy a"."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words(text: str) -> list[str]:
    """The folded words of a text; single letters and numbers say nothing of the topic."""
    return [word for word in _WORD.findall(fold(text)) if len(word) > 1 and not word.isdigit()]


def word_grams(word: str) -> list[str]:
    """The trigrams of a word, with its start marked: "uhri" -> " uh", "uhr", "hri".

    The end is not marked, so inflectional endings ("-en", "-lle") weigh less than stems.
    """
    padded = " " + word
    return [padded[index : index + GRAM_LENGTH] for index in range(len(padded) - GRAM_LENGTH + 1)]


def gram_counts(title: str, description: str) -> Counter[str]:
    """How often each trigram occurs in a text; the title's count TITLE_WEIGHT times."""
    counts: Counter[str] = Counter()
    for word in words(title):
        for gram in word_grams(word):
            counts[gram] += TITLE_WEIGHT
    counts.update([gram for word in words(description) for gram in word_grams(word)])
    return counts


def idf(document_count: int, total: int) -> float:
    """Inverse document frequency, smoothed: a trigram every challenge holds still counts."""
    return math.log((total + 1) / (document_count + 1)) + 1.0


def vector(counts: Counter[str], idfs: dict[str, float]) -> dict[str, float]:
    """A unit-length TF-IDF vector; trigrams no indexed challenge holds are left out."""
    weights = {gram: _log_tf(count) * idfs[gram] for gram, count in counts.items() if gram in idfs}
    norm = math.sqrt(sum(weight * weight for weight in weights.values()))
    if not norm:
        return {}
    return {gram: weight / norm for gram, weight in weights.items()}


def cosine(query: dict[str, float], counts: Counter[str], idfs: dict[str, float]) -> float:
    """The cosine between a unit query vector and a text's TF-IDF vector, without building it."""
    dot = 0.0
    norm = 0.0
    for gram, count in counts.items():
        inverse = idfs.get(gram)
        if inverse is None:
            continue
        weight = _log_tf(count) * inverse
        norm += weight * weight
        dot += query.get(gram, 0.0) * weight
    return dot / math.sqrt(norm) if norm else 0.0


_LOG_TF = [0.0] + [1.0 + math.log(count) for count in range(1, 256)]


def _log_tf(count: int) -> float:
    return _LOG_TF[count] if count < len(_LOG_TF) else 1.0 + math.log(count)


def _idfs(grams: Iterable[str]) -> dict[str, float]:
    """The idf of each gram some indexed challenge holds, in one query.

    Written in SQL because the list can hold a thousand grams, where building the ORM
    query would take longer than running it.
    """
    wanted = sorted({*grams, TOTAL})
    table = connection.ops.quote_name(SimilarityGram._meta.db_table)
    placeholders = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT gram, challenge_count FROM {table} "  # noqa: S608
            f"WHERE challenge_count > 0 AND gram IN ({placeholders})",
            wanted,
        )
        rows = dict(cursor.fetchall())
    total = rows.pop(TOTAL, 0)
    return {gram: idf(count, total) for gram, count in rows.items()}


def _best_terms(counts: Counter[str], idfs: dict[str, float]) -> list[tuple[str, int]]:
    """The challenge's TERMS_PER_CHALLENGE heaviest trigrams and their scaled weights."""
    weights = vector(counts, idfs)
    best = heapq.nlargest(TERMS_PER_CHALLENGE, weights.items(), key=lambda item: item[1])
    return [
        (gram, max(1, min(WEIGHT_SCALE, round(weight * WEIGHT_SCALE)))) for gram, weight in best
    ]


def _insert_terms(rows: list[tuple[object, str, int]]) -> None:
    """Writes index rows directly: model instances would cost more than the index itself."""
    table = connection.ops.quote_name(ChallengeTerm._meta.db_table)
    pk_field = Challenge._meta.pk
    assert pk_field is not None
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (challenge_id, gram, weight) VALUES (%s, %s, %s)",  # noqa: S608
            [
                (pk_field.get_db_prep_value(pk, connection), gram, weight)
                for pk, gram, weight in rows
            ],
        )


def _change_counts(grams: Sequence[str], delta: int) -> None:
    """Adds `delta` to the document frequency of each gram and to the total.

    Grams are written in sorted order, so concurrent writers take their row locks in the same
    order and cannot deadlock.
    """
    table = connection.ops.quote_name(SimilarityGram._meta.db_table)
    rows = [(gram, delta) for gram in sorted({*grams, TOTAL})]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (gram, challenge_count) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT (gram) DO UPDATE SET challenge_count = "
            f"{table}.challenge_count + excluded.challenge_count",
            rows,
        )


def _is_indexed(challenge: Challenge) -> bool:
    return ChallengeTerm.objects.filter(challenge=challenge).exists()


def similarity_remove(challenge: Challenge) -> None:
    """Takes a challenge out of the index (merged, deleted or back to a draft)."""
    with transaction.atomic():
        if not _is_indexed(challenge):
            return
        ChallengeTerm.objects.filter(challenge=challenge).delete()
        _change_counts(list(gram_counts(challenge.title, challenge.description)), -1)


def similarity_index(challenge: Challenge) -> None:
    """Puts a submitted challenge into the index, or refreshes it; call in the writing transaction.

    Drafts and merged challenges are kept out: nobody else may see a draft, and a merged
    challenge continues in the one it was merged into.
    """
    with transaction.atomic():
        similarity_remove(challenge)
        if challenge.status in (ChallengeStatus.DRAFT, ChallengeStatus.MERGED):
            return
        counts = gram_counts(challenge.title, challenge.description)
        if not counts:
            return
        _change_counts(list(counts), 1)
        _insert_terms(
            [(challenge.pk, gram, weight) for gram, weight in _best_terms(counts, _idfs(counts))]
        )


def similarity_rebuild(*, batch_size: int = 2_000) -> int:
    """Rebuilds the whole index from the submitted challenges; returns how many were indexed.

    Exact where the one-by-one updates of `similarity_index` weigh early challenges by the
    frequencies known at their time. Reads the texts twice, in batches, to bound memory.
    """
    indexed = Challenge.objects.exclude(
        status__in=(ChallengeStatus.DRAFT, ChallengeStatus.MERGED)
    ).order_by("pk")
    with transaction.atomic():
        ChallengeTerm.objects.all().delete()
        SimilarityGram.objects.all().delete()
        frequencies: Counter[str] = Counter()
        total = 0
        for batch in _batches(indexed.values_list("pk", "title", "description"), batch_size):
            for _pk, title, description in batch:
                grams = {
                    gram for word in words(f"{title} {description}") for gram in word_grams(word)
                }
                if grams:
                    frequencies.update(grams)
                    total += 1
        SimilarityGram.objects.bulk_create(
            [
                SimilarityGram(gram=gram, challenge_count=count)
                for gram, count in frequencies.items()
            ]
            + [SimilarityGram(gram=TOTAL, challenge_count=total)],
            batch_size=batch_size,
        )
        known = {gram: idf(count, total) for gram, count in frequencies.items()}
        for batch in _batches(indexed.values_list("pk", "title", "description"), batch_size):
            _insert_terms(
                [
                    (pk, gram, weight)
                    for pk, title, description in batch
                    for gram, weight in _best_terms(gram_counts(title, description), known)
                ]
            )
    return total


def _batches[T](rows: QuerySet[Challenge, T], size: int) -> Iterable[list[T]]:
    batch: list[T] = []
    for row in rows.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class SimilarChallenge:
    """A challenge shown as similar to the text being written, with its score (0 to 1)."""

    challenge: Challenge
    score: float


def _candidates(query: dict[str, float]) -> list[UUID]:
    """The challenges sharing the most weight with the query's rarest trigrams, best first.

    Each trigram contributes only its POSTINGS_PER_GRAM heaviest index rows (read from the
    end of the (gram, weight) index), so the work is bounded however many challenges hold
    a common trigram.
    """
    chosen = heapq.nlargest(QUERY_GRAMS, query.items(), key=lambda item: (item[1], item[0]))
    if not chosen:
        return []
    table = connection.ops.quote_name(ChallengeTerm._meta.db_table)
    postings = " UNION ALL ".join(
        f"SELECT * FROM (SELECT challenge_id, weight * %s AS score FROM {table} "  # noqa: S608
        f"WHERE gram = %s ORDER BY weight DESC LIMIT %s) AS posting{index}"
        for index in range(len(chosen))
    )
    sql = (
        f"SELECT challenge_id FROM ({postings}) AS postings "  # noqa: S608
        "GROUP BY challenge_id ORDER BY SUM(score) DESC, challenge_id LIMIT %s"
    )
    params: list[str | float | int] = []
    for gram, weight in chosen:
        params.extend([weight, gram, POSTINGS_PER_GRAM])
    params.append(CANDIDATES)
    pk_field = Challenge._meta.pk
    assert pk_field is not None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk_field.to_python(row[0]) for row in cursor.fetchall()]


def similar_challenges(
    *, user: AnyUser, title: str, description: str = "", limit: int = 5
) -> list[SimilarChallenge]:
    """The submitted challenges the user may see that are most similar to the text, best first.

    Runs four queries whatever the size of the index or of the answer.
    """
    counts = gram_counts(title[:QUERY_TEXT_LIMIT], description[:QUERY_TEXT_LIMIT])
    if not counts:
        return []
    query = vector(counts, _idfs(counts))
    candidate_ids = _candidates(query)
    if not candidate_ids:
        return []
    # Scoped by the same selector as the challenge list: drafts and merged challenges never show.
    challenges = list(
        challenge_list(user=user)
        .filter(pk__in=candidate_ids)
        .select_related(None)
        .prefetch_related(None)
        .order_by()
    )
    texts = {
        challenge.pk: gram_counts(challenge.title, challenge.description)
        for challenge in challenges
    }
    idfs = _idfs(gram for counts in texts.values() for gram in counts)
    scored = []
    for challenge in challenges:
        score = cosine(query, texts[challenge.pk], idfs)
        if score >= MIN_SCORE:
            scored.append(SimilarChallenge(challenge=challenge, score=score))
    scored.sort(key=lambda item: (-item.score, item.challenge.reference or ""))
    return scored[:limit]
