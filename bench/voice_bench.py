"""Similar-challenge lookup and the triage inbox with 100,000 challenges: p50/p95 server time.

Run with `.venv/bin/python bench/voice_bench.py`. Builds its own SQLite database in a
temporary folder (or uses DATABASE_URL), fills it with challenges written from word lists
in English, Finnish and Swedish, builds the similarity index, then requests the htmx
lookup and the inbox repeatedly through Django's test client, so the figures are server
time without network or browser. BENCH_CHALLENGES and BENCH_REPEAT change the sizes.
"""

import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

CHALLENGES = int(os.environ.get("BENCH_CHALLENGES", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "60"))
BATCH = 5_000

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="polku-voice-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("POLKU_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import OrganisationKind
from polku.actors.models import Membership, Organisation
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.selectors import category_choices
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, ChallengeCategory, Endorsement
from polku.voice.similarity import similarity_rebuild
from polku.voice.working_days import add_working_days

# Phrases of the field, with the inflected forms practitioners actually write.
WORDS = {
    "en": {
        "who": [
            "victims",
            "victim",
            "survivors",
            "workers",
            "worker",
            "migrants",
            "migrant",
            "children",
            "child",
            "women",
            "men",
            "asylum",
            "seekers",
            "berry",
            "pickers",
            "cleaners",
            "restaurant",
            "staff",
            "drivers",
            "students",
            "au",
            "pairs",
            "construction",
            "workers",
            "nail",
            "salon",
            "workers",
        ],
        "problem": [
            "cannot find interpreters",
            " wait weeks for",
            " are not identified",
            " are not referred",
            " lose their residence permit",
            " are deported before",
            " do not trust the police",
            " are not told their rights",
            " have no safe housing",
            " are moved between cities",
            " owe recruitment debts",
            " have their passports taken",
            " are paid below the minimum",
            " work without contracts",
            " are threatened by employers",
            " fall outside the assistance system",
            " are interviewed without support",
            " receive no legal aid",
        ],
        "context": [
            "at night",
            " in the north",
            " in reception centres",
            " at the border",
            " during inspections",
            " in court",
            " at health centres",
            " in schools",
            " on construction sites",
            " in agriculture",
            " in the cleaning sector",
            " in restaurants",
            " online",
            " in shared flats",
            " during the berry season",
            " after the recovery period",
        ],
        "filler": [
            "the",
            "police",
            "say",
            "the",
            "officers",
            "report",
            "that",
            "labour",
            "inspectors",
            "find",
            "that",
            "social",
            "workers",
            "notice",
            "that",
            "ngo",
            "staff",
            "see",
            "that",
            "prosecutors",
            "note",
            "that",
            "in",
            "practice",
            "often",
            "usually",
            "every",
            "month",
            "several",
            "times",
            "a",
            "year",
            "because",
            "information",
            "is",
            "not",
            "shared",
            "between",
            "authorities",
            "and",
            "the",
            "process",
            "takes",
            "too",
            "long",
        ],
    },
    "fi": {
        "who": [
            "uhrit",
            "uhrien",
            "uhreille",
            "uhria",
            "työntekijät",
            "työntekijöiden",
            "työntekijöille",
            "siirtotyöläiset",
            "siirtotyöläisten",
            "lapset",
            "lasten",
            "naiset",
            "naisten",
            "miehet",
            "miesten",
            "turvapaikanhakijat",
            "turvapaikanhakijoiden",
            "marjanpoimijat",
            "marjanpoimijoiden",
            "siivoojat",
            "siivoojien",
            "ravintolatyöntekijät",
            "rakennustyöntekijät",
            "kynsistudioiden",
            "opiskelijat",
            "opiskelijoiden",
        ],
        "problem": [
            "ei löydy tulkkia",
            " odottavat viikkoja",
            " jäävät tunnistamatta",
            " eivät ohjaudu auttamisjärjestelmään",
            " menettävät oleskeluluvan",
            " poistetaan maasta ennen",
            " eivät luota poliisiin",
            " eivät tiedä oikeuksistaan",
            " ei ole turvallista asuntoa",
            " siirretään kaupungista toiseen",
            " ovat velkaa rekrytoijille",
            " passit otetaan pois",
            " saavat alle minimipalkan",
            " työskentelevät ilman sopimusta",
            " työnantaja uhkailee",
            " jäävät palvelujen ulkopuolelle",
            " kuullaan ilman tukihenkilöä",
            " eivät saa oikeusapua",
        ],
        "context": [
            "yöllä",
            " pohjoisessa",
            " vastaanottokeskuksissa",
            " rajalla",
            " tarkastusten aikana",
            " oikeudessa",
            " terveyskeskuksissa",
            " kouluissa",
            " rakennustyömailla",
            " maataloudessa",
            " siivousalalla",
            " ravintoloissa",
            " verkossa",
            " jaetuissa asunnoissa",
            " marjakauden aikana",
            " harkinta-ajan jälkeen",
        ],
        "filler": [
            "poliisin",
            "mukaan",
            "tarkastajat",
            "kertovat",
            "että",
            "sosiaalityöntekijät",
            "huomaavat",
            "järjestön",
            "työntekijät",
            "näkevät",
            "syyttäjät",
            "toteavat",
            "käytännössä",
            "usein",
            "yleensä",
            "joka",
            "kuukausi",
            "monta",
            "kertaa",
            "vuodessa",
            "koska",
            "tieto",
            "ei",
            "kulje",
            "viranomaisten",
            "välillä",
            "ja",
            "käsittely",
            "kestää",
            "liian",
            "kauan",
        ],
    },
    "sv": {
        "who": [
            "offren",
            "offer",
            "offrens",
            "arbetstagare",
            "arbetstagarna",
            "migranter",
            "migranterna",
            "barn",
            "barnen",
            "kvinnor",
            "kvinnorna",
            "män",
            "asylsökande",
            "bärplockare",
            "bärplockarna",
            "städare",
            "restaurangpersonal",
            "chaufförer",
            "studerande",
            "byggarbetare",
        ],
        "problem": [
            "hittar ingen tolk",
            " väntar i veckor",
            " identifieras inte",
            " hänvisas inte till hjälpsystemet",
            " förlorar uppehållstillståndet",
            " utvisas innan",
            " litar inte på polisen",
            " känner inte till sina rättigheter",
            " har inget skyddat boende",
            " flyttas mellan städer",
            " har rekryteringsskulder",
            " passen tas ifrån dem",
            " får under minimilön",
            " arbetar utan avtal",
            " hotas av arbetsgivaren",
            " faller utanför hjälpen",
            " förhörs utan stödperson",
            " får ingen rättshjälp",
        ],
        "context": [
            "på natten",
            " i norr",
            " på förläggningar",
            " vid gränsen",
            " vid inspektioner",
            " i domstol",
            " på hälsocentraler",
            " i skolor",
            " på byggen",
            " i jordbruket",
            " i städbranschen",
            " på restauranger",
            " på nätet",
            " i delade bostäder",
            " under bärsäsongen",
            " efter betänketiden",
        ],
        "filler": [
            "enligt",
            "polisen",
            "inspektörerna",
            "berättar",
            "att",
            "socialarbetarna",
            "märker",
            "att",
            "organisationens",
            "personal",
            "ser",
            "att",
            "åklagarna",
            "konstaterar",
            "i",
            "praktiken",
            "ofta",
            "vanligtvis",
            "varje",
            "månad",
            "flera",
            "gånger",
            "per",
            "år",
            "eftersom",
            "informationen",
            "inte",
            "delas",
            "mellan",
            "myndigheterna",
            "och",
            "handläggningen",
            "tar",
            "för",
            "lång",
            "tid",
        ],
    },
}
LANGUAGES = ["fi", "fi", "en", "sv"]
OPEN = [
    ChallengeStatus.RECEIVED,
    ChallengeStatus.ACKNOWLEDGED,
    ChallengeStatus.UNDER_CONSIDERATION,
    ChallengeStatus.ON_AGENDA,
]
CLOSED = [ChallengeStatus.ANSWERED, ChallengeStatus.ADDRESSED, ChallengeStatus.DECLINED]


def status_for(rng: random.Random, age_days: int) -> str:
    """Recent challenges are mostly open; older ones mostly closed, a few still worked on."""
    if age_days <= 60:
        return rng.choice([*OPEN, ChallengeStatus.ANSWERED])
    if rng.random() < 0.05:
        return rng.choice(OPEN[2:])
    return rng.choice(CLOSED)


def text(rng: random.Random, language: str) -> tuple[str, str]:
    """A title and a description of one challenge in the language."""
    words = WORDS[language]
    title = " ".join(
        [
            rng.choice(words["who"]).capitalize(),
            rng.choice(words["problem"]).strip(),
            rng.choice(words["context"]).strip(),
        ]
    )
    sentences = []
    for _ in range(rng.randint(2, 5)):
        sentence = [
            *rng.sample(words["filler"], rng.randint(3, 8)),
            rng.choice(words["who"]),
            rng.choice(words["problem"]).strip(),
            rng.choice(words["context"]).strip(),
        ]
        sentences.append(" ".join(sentence).capitalize() + ".")
    return title, " ".join(sentences)


def populate(rng: random.Random) -> tuple[User, User]:
    organisation = Organisation.objects.create(
        name="Bench police department", kind=OrganisationKind.AUTHORITY
    )
    practitioner = User.objects.create_user("bench-practitioner", password="unused-password-1")
    Membership.objects.create(user=practitioner, organisation=organisation, role=Role.PRACTITIONER)
    coordinator = User.objects.create_user("bench-coordinator", password="unused-password-1")
    Membership.objects.create(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
    endorsers = User.objects.bulk_create(
        User(username=f"endorser{index}", password="!") for index in range(50)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=Role.PRACTITIONER)
        for user in endorsers
    )
    sectors = list(category_choices(kind=TypologyKind.SECTOR))
    forms = list(category_choices(kind=TypologyKind.EXPLOITATION_FORM))
    regions = list(category_choices(kind=TypologyKind.REGION))
    today = timezone.localdate()
    now = timezone.now()
    due: dict[date, tuple[date, date]] = {}
    for start in range(0, CHALLENGES, BATCH):
        challenges = []
        for index in range(start, min(start + BATCH, CHALLENGES)):
            language = rng.choice(LANGUAGES)
            title, description = text(rng, language)
            age = rng.randint(0, 3 * 365)
            submitted_on = today - timedelta(days=age)
            status = status_for(rng, age)
            if submitted_on not in due:
                due[submitted_on] = (
                    add_working_days(submitted_on, 5),
                    add_working_days(submitted_on, 30),
                )
            acknowledge_due_on, answer_due_on = due[submitted_on]
            acted_on = submitted_on + timedelta(days=rng.randint(1, 40))
            acted = timezone.make_aware(datetime(acted_on.year, acted_on.month, acted_on.day, 12))
            protected = rng.random() < 0.2
            challenges.append(
                Challenge(
                    reference=f"CH-{submitted_on.year}-B{index:06d}",
                    title=title[:200],
                    description=description,
                    language=language,
                    region=rng.choice(regions),
                    status=status,
                    is_protected=protected,
                    organisation=None if protected else organisation,
                    revealed_organisation_kind="ngo" if protected else "",
                    submitted_on=submitted_on,
                    sort_key=secrets.randbelow(2**62),
                    acknowledge_due_on=acknowledge_due_on,
                    answer_due_on=answer_due_on,
                    acknowledged_at=None if status == ChallengeStatus.RECEIVED else acted,
                    answered_at=acted if status == ChallengeStatus.ANSWERED else None,
                    closed_at=acted if status in CLOSED else None,
                    updated_at=acted,
                )
            )
        Challenge.objects.bulk_create(challenges)
        ChallengeCategory.objects.bulk_create(
            ChallengeCategory(challenge=challenge, category=category)
            for challenge in challenges
            for category in {rng.choice(sectors), rng.choice(forms)}
        )
        Endorsement.objects.bulk_create(
            Endorsement(challenge=challenge, user=user, created_at=now)
            for challenge in challenges[::7]
            for user in rng.sample(endorsers, rng.randint(1, 4))
        )
    return practitioner, coordinator


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure(request: Callable[[int], object]) -> tuple[float, float, int]:
    timings = []
    queries = 0
    for index in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request(index)
            timings.append((time.perf_counter() - started) * 1000)
        assert getattr(response, "status_code", 0) == 200, response
        queries = len(captured)
    p50, p95 = percentiles(timings)
    return p50, p95, queries


def main() -> None:
    # No setup_test_environment(): its template instrumentation copies every context and
    # would be counted as server time. The test client only needs the host allowed.
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"Database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    started = time.perf_counter()
    practitioner, coordinator = populate(rng)
    filled = time.perf_counter() - started
    started = time.perf_counter()
    indexed = similarity_rebuild()
    # A running database has its planner statistics and (PostgreSQL) visibility map from
    # autovacuum; a freshly filled one gets them here.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"Filled {CHALLENGES} challenges in {filled:.1f} s; indexed {indexed} in "
        f"{time.perf_counter() - started:.1f} s; {REPEAT} requests per measurement."
    )
    practitioner_client = Client()
    practitioner_client.force_login(practitioner)
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    similar_url = reverse("voice:similar")
    queries = [text(rng, rng.choice(LANGUAGES)) for _ in range(REPEAT)]
    typed: list[tuple[str, Callable[[int], dict[str, str]]]] = [
        ("similar: title typed", lambda index: {"title": queries[index][0]}),
        (
            "similar: title and description",
            lambda index: {"title": queries[index][0], "description": queries[index][1]},
        ),
        ("similar: half a word", lambda index: {"title": queries[index][0].split()[0][:4]}),
    ]
    print(f"{'measurement':<36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, data in typed:

        def lookup(index: int, data: Callable[[int], dict[str, str]] = data) -> object:
            return practitioner_client.post(
                similar_url, data(index), headers={"HX-Request": "true"}
            )

        p50, p95, count = measure(lookup)
        print(f"{name:<36} {p50:>8.1f} {p95:>8.1f} {count:>8}")
    try:
        inbox_url, inbox_name = reverse("voice:inbox"), "inbox"
    except NoReverseMatch:
        inbox_url, inbox_name = reverse("voice:challenge_list"), "challenge list (no inbox yet)"
    for label, suffix in ((inbox_name, ""), (f"{inbox_name}, page 50", "?page=50")):

        def page(index: int, path: str = inbox_url + suffix) -> object:
            return coordinator_client.get(path)

        p50, p95, count = measure(page)
        print(f"{label:<36} {p50:>8.1f} {p95:>8.1f} {count:>8}")


if __name__ == "__main__":
    main()
