"""Fictional challenges in English, Finnish and Swedish for the demo, raised by the services."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from polku.accounts.models import User
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.taxonomy.selectors import category_get
from polku.voice import services
from polku.voice.choices import ChallengeStatus, OutcomeKind
from polku.voice.models import Challenge, StatusEvent
from polku.voice.services.common import start_clocks, start_of_day

S = ChallengeStatus


@dataclass(frozen=True)
class DemoChallenge:
    author: str
    title: str
    description: str
    sectors: tuple[str, ...]
    forms: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    region: str = "whole_country"
    language: str = "en"
    urgency: str = "normal"
    days_ago: int = 10
    status: str = S.RECEIVED
    protected: bool = False
    reveal_region: str = ""
    endorsers: tuple[str, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()
    answer: str = ""
    outcome: tuple[str, str] = field(default=("", ""))


# The path each status is reached by, with the note each step carries.
ROUTES: dict[str, list[tuple[str, str]]] = {
    S.RECEIVED: [],
    S.ACKNOWLEDGED: [(S.ACKNOWLEDGED, "")],
    S.UNDER_CONSIDERATION: [(S.ACKNOWLEDGED, ""), (S.UNDER_CONSIDERATION, "")],
    S.ON_AGENDA: [
        (S.ACKNOWLEDGED, ""),
        (S.UNDER_CONSIDERATION, ""),
        (S.ON_AGENDA, "On the agenda of the secretariat's next meeting."),
    ],
    S.ANSWERED: [(S.ACKNOWLEDGED, "")],
    S.ADDRESSED: [(S.ACKNOWLEDGED, ""), (S.UNDER_CONSIDERATION, ""), (S.ON_AGENDA, "")],
    S.DECLINED: [(S.ACKNOWLEDGED, "")],
}

CHALLENGES = [
    DemoChallenge(
        "a.berg",
        "Labour inspectors cannot share findings with the police quickly enough",
        "When an inspection finds signs of forced labour, the findings reach the police only "
        "after weeks of paperwork. By then the workers have often been moved to another site "
        "and the evidence is gone. A shared, secure channel and a same-day contact point in "
        "every police department would help.",
        ("labour_inspection", "police"),
        ("forced_labour",),
        ("migrant_workers",),
        "uusimaa",
        days_ago=96,
        status=S.ON_AGENDA,
        endorsers=("practitioner", "e.nurmi", "k.forsman", "v.peltonen"),
        comments=(
            (
                "practitioner",
                "The same delay happens the other way round: we cannot tell inspectors what we "
                "found.",
            ),
        ),
    ),
    DemoChallenge(
        "ngo",
        "No interpreter available for victims speaking Vietnamese at night",
        "Victims identified at night wait until morning before anyone can talk with them in "
        "their own language. Several have left before the interpreter arrived. Telephone "
        "interpreting at night is available for some languages only.",
        ("assistance_system", "police", "ngos"),
        ("forced_criminality", "forced_labour"),
        ("migrant_workers", "undocumented"),
        "uusimaa",
        urgency="high",
        days_ago=70,
        status=S.ANSWERED,
        endorsers=("practitioner", "r.koivisto", "l.hamid"),
        answer=(
            "The assistance system will fund telephone interpreting around the clock for "
            "Vietnamese, Thai and Chinese from the start of next year. The police will get the "
            "number through their duty officers."
        ),
    ),
    DemoChallenge(
        "a.berg",
        "Berry pickers' recruitment debts",
        "Pickers arrive owing thousands of euros to recruiters in their home countries. The "
        "debt grows every week with fees for housing, cars and equipment. Pickers who earn "
        "too little cannot leave, and few dare to talk to inspectors.",
        ("labour_inspection", "ngos"),
        ("forced_labour",),
        ("migrant_workers",),
        "lapland",
        days_ago=120,
        status=S.ADDRESSED,
        endorsers=("k.forsman", "m.huttunen", "o.vainio", "n.salo", "ngo"),
        comments=(
            ("m.huttunen", "Our survey last season found the same pattern in three regions."),
        ),
        outcome=(
            OutcomeKind.GUIDELINE,
            "The guideline on seasonal work now requires employers to show the pickers' "
            "contracts and fees to the labour inspectorate before the season starts.",
        ),
    ),
    DemoChallenge(
        "v.peltonen",
        "Border guards have no way to flag a suspected victim to the next border",
        "We sometimes see a person we suspect is being trafficked pass through, but there is "
        "no lawful way to ask colleagues at the next crossing point to pay attention.",
        ("border_control",),
        ("sexual_exploitation", "forced_labour"),
        ("women",),
        "south_karelia",
        days_ago=45,
        status=S.UNDER_CONSIDERATION,
        endorsers=("practitioner",),
    ),
    DemoChallenge(
        "e.nurmi",
        "Victims withdraw before trial because proceedings take years",
        "Cases of trafficking for forced labour take two to four years to reach court. Many "
        "victims have left the country or no longer want to testify. Their earlier statements "
        "cannot always be used.",
        ("prosecution", "courts"),
        ("forced_labour", "sexual_exploitation"),
        days_ago=88,
        status=S.ON_AGENDA,
        endorsers=("practitioner", "o.vainio", "ngo"),
    ),
    DemoChallenge(
        "n.salo",
        "Lastensuojelu ei tunnista nuoria, joita pakotetaan rikoksiin",
        "Nuoria, joita käytetään huumekaupassa tai varkauksissa, kohdellaan rikoksentekijöinä "
        "eikä mahdollisina ihmiskaupan uhreina. Lastensuojelun työntekijöillä ei ole ohjetta "
        "siitä, milloin ihmiskaupan mahdollisuus pitäisi selvittää.",
        ("social_services", "police"),
        ("forced_criminality",),
        ("children",),
        "pirkanmaa",
        language="fi",
        urgency="high",
        days_ago=30,
        status=S.ACKNOWLEDGED,
        endorsers=("practitioner", "r.koivisto"),
        comments=(("r.koivisto", "Auttamisjärjestelmä voi kouluttaa lastensuojelun yksiköitä."),),
    ),
    DemoChallenge(
        "r.koivisto",
        "Auttamisjärjestelmään ohjaaminen vaatii liikaa todisteita",
        "Osa viranomaisista odottaa rikosilmoitusta ennen kuin ohjaa ihmisen "
        "auttamisjärjestelmään. Laki ei sitä edellytä, mutta käytäntö vaihtelee alueittain.",
        ("assistance_system", "police", "municipalities"),
        ("sexual_exploitation", "forced_labour", "forced_marriage"),
        days_ago=60,
        language="fi",
        status=S.UNDER_CONSIDERATION,
        endorsers=("ngo", "k.forsman", "l.hamid", "n.salo"),
    ),
    DemoChallenge(
        "k.forsman",
        "Seksityötä tekevät eivät uskalla kertoa hyväksikäytöstä",
        "Pelko oleskeluluvan menettämisestä estää kertomasta väkivallasta ja velkasuhteista. "
        "Tarvitaan selkeä tieto siitä, mitä kertominen tarkoittaa oleskelun kannalta.",
        ("ngos", "police", "reception_immigration"),
        ("sexual_exploitation",),
        ("sex_work", "women", "migrant_workers"),
        "uusimaa",
        language="fi",
        days_ago=25,
        status=S.RECEIVED,
        protected=True,
        reveal_region="uusimaa",
        endorsers=("ngo",),
    ),
    DemoChallenge(
        "l.hamid",
        "Pakkoavioliiton uhreille ei ole turvakotipaikkoja",
        "Turvakodit ovat usein täynnä, eikä niissä aina ymmärretä suvun painostusta. "
        "Nuoret naiset palaavat kotiin, koska muuta paikkaa ei ole.",
        ("social_services", "ngos", "municipalities"),
        ("forced_marriage",),
        ("women", "children"),
        language="fi",
        urgency="high",
        days_ago=50,
        status=S.ANSWERED,
        endorsers=("ngo", "n.salo"),
        answer=(
            "Sosiaali- ja terveysministeriö selvittää turvakotien erityisosaamista. "
            "Hyvinvointialueille lähetetään ohje pakkoavioliiton uhrien majoittamisesta."
        ),
    ),
    DemoChallenge(
        "o.vainio",
        "Turvapaikanhakijoiden puhuttelussa ei kysytä hyväksikäytöstä",
        "Puhuttelussa keskitytään vainoon kotimaassa. Matkan aikainen hyväksikäyttö ja "
        "velat jäävät selvittämättä, vaikka ne voisivat viitata ihmiskauppaan.",
        ("reception_immigration",),
        ("forced_labour", "sexual_exploitation"),
        ("asylum_seekers",),
        language="fi",
        days_ago=15,
        status=S.RECEIVED,
        endorsers=("l.hamid",),
    ),
    DemoChallenge(
        "practitioner",
        "Poliisilaitoksilla ei ole ihmiskauppaan perehtyneitä tutkijoita",
        "Pienillä poliisilaitoksilla ihmiskauppaepäilyt päätyvät tutkijoille, joilla ei ole "
        "kokemusta niistä. Tapaukset kirjataan usein kiskonnantapaiseksi työsyrjinnäksi.",
        ("police",),
        ("forced_labour",),
        days_ago=80,
        language="fi",
        status=S.ON_AGENDA,
        endorsers=("e.nurmi", "a.berg", "v.peltonen"),
    ),
    DemoChallenge(
        "m.huttunen",
        "Ihmiskaupan uhrien määristä ei saa yhtenäistä kuvaa",
        "Poliisi, auttamisjärjestelmä ja järjestöt laskevat uhreja eri tavoin. Samaa "
        "ihmistä ei voi tunnistaa eri tilastoista, joten kokonaismäärää ei tiedetä.",
        ("police", "assistance_system", "ngos"),
        ("other",),
        language="fi",
        days_ago=110,
        status=S.ADDRESSED,
        endorsers=("r.koivisto",),
        outcome=(
            OutcomeKind.MEASURE,
            "Toimintaohjelman toimenpide: yhteinen tilastopohja ja kirjausten yhdistäminen "
            "ilman henkilötietoja.",
        ),
    ),
    DemoChallenge(
        "k.forsman",
        "Offer för människohandel får inte information på svenska",
        "Broschyrer och webbsidor om hjälpsystemet finns på finska och engelska, men "
        "svenskspråkiga offer och anhöriga i Österbotten hittar inget på sitt eget språk.",
        ("assistance_system", "ngos"),
        ("sexual_exploitation", "forced_labour"),
        region="ostrobothnia",
        language="sv",
        days_ago=35,
        status=S.ACKNOWLEDGED,
        endorsers=("ngo",),
    ),
    DemoChallenge(
        "v.peltonen",
        "Gränsbevakningen saknar tolkar i hamnarna på natten",
        "Vid nattliga fartygsankomster finns ingen tolk att tillgå. Misstänkta offer hinner "
        "försvinna innan de kan höras på ett språk de förstår.",
        ("border_control",),
        ("forced_labour",),
        ("migrant_workers",),
        "southwest_finland",
        language="sv",
        days_ago=20,
        status=S.RECEIVED,
        protected=True,
        reveal_region="southwest_finland",
    ),
    DemoChallenge(
        "n.salo",
        "Socialarbetare vet inte när de ska kontakta hjälpsystemet",
        "Det saknas en enkel checklista för socialarbetare om tecken på människohandel och "
        "om när och hur man hänvisar en person till hjälpsystemet.",
        ("social_services", "municipalities"),
        ("forced_labour", "sexual_exploitation", "forced_marriage"),
        language="sv",
        days_ago=40,
        status=S.UNDER_CONSIDERATION,
        endorsers=("r.koivisto", "l.hamid"),
    ),
    DemoChallenge(
        "l.hamid",
        "Tvångsäktenskap upptäcks inte i skolan",
        "Lärare och skolkuratorer känner inte igen tecknen när en elev ska giftas bort under "
        "sommarlovet. Eleverna försvinner och skolan hör inget mer.",
        ("education", "social_services"),
        ("forced_marriage",),
        ("children",),
        language="sv",
        days_ago=12,
        status=S.RECEIVED,
        endorsers=("n.salo",),
    ),
    DemoChallenge(
        "o.vainio",
        "Residence permits for victims depend on cooperation with the police",
        "A victim who is too afraid to cooperate with the criminal investigation has little "
        "chance of a residence permit. The Directive allows protection regardless of "
        "cooperation, but practice does not follow.",
        ("reception_immigration", "police"),
        ("sexual_exploitation", "forced_labour"),
        ("undocumented",),
        days_ago=75,
        status=S.DECLINED,
        answer="The conditions are set by law and are outside the secretariat's mandate; the "
        "question has been passed to the Ministry of the Interior's legislative unit.",
    ),
    DemoChallenge(
        "ngo",
        "Men who are victims of labour exploitation have nowhere to stay",
        "Shelters for victims of trafficking are mostly for women and children. Men "
        "identified on building sites sleep in their cars or go back to the employer.",
        ("assistance_system", "municipalities", "ngos"),
        ("forced_labour",),
        ("men", "migrant_workers"),
        days_ago=55,
        status=S.ACKNOWLEDGED,
        endorsers=("a.berg", "k.forsman"),
        comments=(("a.berg", "We met four such men on one site this spring."),),
    ),
    DemoChallenge(
        "practitioner",
        "Online advertisements for sex work cannot be traced quickly",
        "Platforms abroad take weeks to answer requests about who placed an advertisement. "
        "By then the people in the advertisement have been moved.",
        ("police",),
        ("sexual_exploitation",),
        ("sex_work", "women"),
        days_ago=65,
        status=S.UNDER_CONSIDERATION,
        protected=True,
        endorsers=("k.forsman",),
    ),
    DemoChallenge(
        "e.nurmi",
        "Forced begging is prosecuted as a minor offence",
        "Organisers of begging are charged with minor offences because the exploitation "
        "element is hard to prove. Prosecutors need guidance on what evidence is enough.",
        ("prosecution", "police"),
        ("forced_begging",),
        days_ago=28,
        status=S.RECEIVED,
    ),
    DemoChallenge(
        "r.koivisto",
        "Health care staff do not recognise victims of organ trafficking",
        "Patients returning after transplants abroad may have been exploited, but hospitals "
        "have no routine for asking or reporting.",
        ("health_care",),
        ("organ_removal",),
        days_ago=18,
        status=S.RECEIVED,
        endorsers=("m.huttunen",),
    ),
    DemoChallenge(
        "m.huttunen",
        "Surrogacy arrangements abroad are not examined for exploitation",
        "Families returning with a child born through surrogacy abroad are not asked how the "
        "arrangement was made, even where the country is known for exploitative clinics.",
        ("reception_immigration", "social_services"),
        ("surrogacy_exploitation", "illegal_adoption"),
        ("women", "children"),
        days_ago=14,
        status=S.RECEIVED,
    ),
    DemoChallenge(
        "k.forsman",
        "Cleaning companies subcontract until no one is responsible",
        "Chains of subcontractors in cleaning and restaurants hide who employs the workers. "
        "Inspectors cannot find anyone accountable for unpaid wages and confiscated passports.",
        ("labour_inspection", "ngos"),
        ("forced_labour",),
        ("migrant_workers", "women"),
        "uusimaa",
        days_ago=42,
        status=S.ACKNOWLEDGED,
        protected=True,
        reveal_region="uusimaa",
        endorsers=("a.berg", "ngo", "o.vainio"),
    ),
    DemoChallenge(
        "v.peltonen",
        "Training on trafficking reaches new border guards only",
        "Experienced border guards have not had training on trafficking for years, and the "
        "indicators have changed with new routes.",
        ("border_control", "education"),
        ("sexual_exploitation", "forced_labour"),
        days_ago=100,
        status=S.ANSWERED,
        answer="Refresher training will be part of the Border Guard's annual programme from "
        "next spring, with material prepared together with the assistance system.",
    ),
    DemoChallenge(
        "a.berg",
        "Restaurant workers are paid in cash and have no records",
        "Without payslips or bank transfers there is no evidence of hours worked or wages "
        "paid, and exploitation cannot be shown.",
        ("labour_inspection",),
        ("forced_labour",),
        ("migrant_workers",),
        days_ago=8,
        status=S.RECEIVED,
        endorsers=("k.forsman",),
    ),
    DemoChallenge(
        "ngo",
        "Victims lose assistance when the criminal case is closed",
        "When the investigation is closed without charges, victims are removed from the "
        "assistance system even if they still need help to recover.",
        ("assistance_system",),
        ("forced_labour", "sexual_exploitation"),
        days_ago=33,
        status=S.ON_AGENDA,
        endorsers=("r.koivisto", "o.vainio", "l.hamid", "k.forsman", "n.salo"),
    ),
    DemoChallenge(
        "n.salo",
        "Lapset ilman huoltajaa katoavat vastaanottokeskuksista",
        "Ilman huoltajaa tulleita lapsia katoaa vastaanottokeskuksista, eikä kukaan seuraa, "
        "mihin he päätyvät. Osa voi joutua hyväksikäytetyksi.",
        ("reception_immigration", "social_services", "police"),
        ("sexual_exploitation", "forced_criminality"),
        ("children", "asylum_seekers"),
        language="fi",
        urgency="high",
        days_ago=5,
        status=S.RECEIVED,
        protected=True,
        endorsers=("l.hamid", "o.vainio"),
    ),
    DemoChallenge(
        "l.hamid",
        "Kunnat eivät tiedä, kuka vastaa ihmiskaupan uhrin asumisesta",
        "Kun uhri siirtyy auttamisjärjestelmästä kunnan palveluihin, asuminen katkeaa usein, "
        "koska vastuu ei ole selvä.",
        ("municipalities", "social_services", "assistance_system"),
        ("forced_labour", "sexual_exploitation"),
        language="fi",
        days_ago=22,
        status=S.DECLINED,
        answer="Asia kuuluu hyvinvointialueiden ja kuntien yhteiseen valmisteluun; sihteeristö "
        "ei voi ratkaista sitä, mutta vie sen ministeriöiden tiedoksi.",
    ),
    DemoChallenge(
        "e.nurmi",
        "Domstolarna saknar tolkar för små språk",
        "Rättegångar skjuts upp gång på gång eftersom det inte finns tolkar för små språk. "
        "Offren orkar inte vänta.",
        ("courts", "prosecution"),
        ("forced_labour", "sexual_exploitation"),
        language="sv",
        days_ago=3,
        status=S.RECEIVED,
    ),
    DemoChallenge(
        "o.vainio",
        "Undocumented workers fear deportation if they report exploitation",
        "People without papers do not report wage theft or violence because contacting any "
        "authority may lead to removal. Firewalls between services and immigration control "
        "are missing.",
        ("reception_immigration", "labour_inspection", "ngos"),
        ("forced_labour",),
        ("undocumented", "migrant_workers"),
        days_ago=2,
        status=S.RECEIVED,
        protected=True,
    ),
]


def _categories(kind: str, codes: tuple[str, ...]) -> list[Category]:
    found = [category_get(kind=kind, code=code) for code in codes]
    return [category for category in found if category is not None]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _backdate(challenge: Challenge, days_ago: int) -> None:
    """Moves a demo challenge and its timeline back in time, keeping the clocks consistent."""
    shift = timedelta(days=days_ago)
    start_clocks(challenge, timezone.localdate() - shift)
    Challenge.objects.filter(pk=challenge.pk).update(
        submitted_on=challenge.submitted_on,
        acknowledge_due_on=challenge.acknowledge_due_on,
        answer_due_on=challenge.answer_due_on,
    )
    for index, event in enumerate(challenge.events.order_by("created_at")):
        if event.coarse_time:
            moved = start_of_day(challenge.submitted_on or timezone.localdate())
            StatusEvent.objects.filter(pk=event.pk).update(created_at=moved)
            continue
        step = timedelta(days=min(index * 3, days_ago))
        StatusEvent.objects.filter(pk=event.pk).update(created_at=F("created_at") - shift + step)
    challenge.comments.update(created_at=F("created_at") - shift + timedelta(days=2))
    challenge.endorsements.update(created_at=F("created_at") - shift + timedelta(days=1))
    challenge.outcomes.update(created_at=F("created_at") - shift + timedelta(days=days_ago // 2))
    first_move = challenge.events.exclude(kind="submitted").order_by("created_at").first()
    if first_move is not None:
        Challenge.objects.filter(pk=challenge.pk, acknowledged_at__isnull=False).update(
            acknowledged_at=first_move.created_at
        )


def _load_one(item: DemoChallenge, coordinator: User) -> tuple[Challenge, str]:
    author = _user(item.author)
    data = services.ChallengeInput(
        title=item.title,
        description=item.description,
        region=category_get(kind=TypologyKind.REGION, code=item.region),
        urgency=item.urgency,
        language=item.language,
        sectors=_categories(TypologyKind.SECTOR, item.sectors),
        exploitation_forms=_categories(TypologyKind.EXPLOITATION_FORM, item.forms),
        affected_groups=_categories(TypologyKind.AFFECTED_GROUP, item.groups),
    )
    code = ""
    if item.protected:
        kinds = author.memberships.filter(is_active=True).values_list(
            "organisation__kind", flat=True
        )
        challenge, code = services.challenge_submit_protected(
            actor=author,
            data=data,
            reveal_organisation_kind=kinds.first() or "",
            reveal_region=category_get(kind=TypologyKind.REGION, code=item.reveal_region)
            if item.reveal_region
            else None,
        )
    else:
        challenge = services.challenge_submit(actor=author, data=data)
    for status, note in ROUTES[item.status]:
        services.challenge_transition(
            actor=coordinator, challenge=challenge, to_status=status, note=note
        )
    if item.status == S.ANSWERED:
        services.challenge_answer(actor=coordinator, challenge=challenge, text=item.answer)
    elif item.status == S.DECLINED:
        services.challenge_transition(
            actor=coordinator, challenge=challenge, to_status=S.DECLINED, note=item.answer
        )
    elif item.status == S.ADDRESSED:
        kind, text = item.outcome
        services.challenge_record_outcome(
            actor=coordinator, challenge=challenge, kind=kind, text=text
        )
    for username in item.endorsers:
        if username != item.author:
            services.challenge_endorse(actor=_user(username), challenge=challenge)
    for username, body in item.comments:
        services.comment_add(actor=_user(username), challenge=challenge, body=body)
    if item.status not in (S.RECEIVED,):
        services.challenge_assign_owner(
            actor=coordinator, challenge=challenge, owner=_user("secretariat")
        )
    challenge.refresh_from_db()
    _backdate(challenge, item.days_ago)
    return challenge, code


@transaction.atomic
def load() -> dict[str, int | str]:
    """Raises the demo challenges that are missing; running it twice adds nothing.

    Returns how many were created and the follow-up code of the first protected one made
    in this run, so the follow-up page can be tried.
    """
    coordinator = _user("coordinator")
    existing = set(Challenge.objects.values_list("title", flat=True))
    created = 0
    code = ""
    for item in CHALLENGES:
        if item.title in existing:
            continue
        _challenge, new_code = _load_one(item, coordinator)
        created += 1
        code = code or new_code
    return {"challenges": created, "followup_code": code}


def summary(result: dict[str, int | str]) -> list[str]:
    lines = [f"Demo challenges created: {result['challenges']}."]
    if result["followup_code"]:
        lines.append(f"Follow-up code of a protected demo challenge: {result['followup_code']}")
    return lines
