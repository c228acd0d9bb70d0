"""Fictional guidelines in every state for the demo, drafted and consulted on through the services.

Needs the demo actors (polku/actors/demo.py) and challenges (polku/voice/demo.py). The first
guideline went through a full consultation: comments on paragraphs in English and Finnish,
an NGO's official statement, every comment answered, a revised version, approval by the
secretariat, publication with the consultation report, and the older checklist it replaces
superseded.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from polku.accounts.models import User
from polku.actors.models import Body, Organisation
from polku.guidelines import services
from polku.guidelines.models import Guideline, GuidelineText
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.taxonomy.selectors import category_get
from polku.voice.models import Challenge

SECRETARIAT_BODY = "National Anti-Trafficking Secretariat"

CHECKLIST_2019 = """## Purpose

This checklist helps first responders notice signs of human trafficking.

## Signs to look for

- The person does not hold their own passport or identity papers.
- The person owes a debt to an employer or a recruiter that keeps growing.
- The person cannot move freely or is always accompanied.

## What to do

Call the police if you suspect trafficking."""

IDENTIFYING_V1 = """## Purpose

This guideline tells first responders how to recognise a presumed victim of human trafficking and how to refer them to help. It applies to the police, border guards, labour inspectors, social and health services and reception centres.

## Signs to look for

Look for a combination of signs rather than a single one: someone else holds the person's passport, a debt to an employer or recruiter keeps growing, the person cannot move freely, or they are afraid to talk in front of others.

## Talking with the person

Talk with the person alone, in a quiet place. Use a professional interpreter, never a family member, an employer or a fellow worker.

## Referring to assistance

Refer the person to the Assistance System for Victims of Human Trafficking when you suspect trafficking. A crime report is not required for the referral.

## Recording what you did

Write down the signs you noticed, what the person told you and where you referred them."""

IDENTIFYING_V2 = """## Purpose

This guideline tells first responders how to recognise a presumed victim of human trafficking and how to refer them to help. It applies to the police, border guards, labour inspectors, social and health services, reception centres and NGOs.

## Signs to look for

Look for a combination of signs rather than a single one: someone else holds the person's passport, a debt to an employer or recruiter keeps growing, the person cannot move freely, or they are afraid to talk in front of others. Children may show none of these signs.

## Talking with the person

Talk with the person alone, in a quiet place. Use a professional interpreter, never a family member, an employer or a fellow worker. Tell the person what will happen next and that they may refuse help.

## Referring to assistance

Refer the person to the Assistance System for Victims of Human Trafficking when you suspect trafficking. A crime report is not required for the referral, and the person does not need to cooperate with the police to receive help.

The assistance system answers the phone around the clock: 0295 463 177.

## Recording what you did

Write down the signs you noticed, what the person told you and where you referred them."""

IDENTIFYING_FI = """## Tarkoitus

Ohje kertoo ensilinjan työntekijöille, miten mahdollinen ihmiskaupan uhri tunnistetaan ja ohjataan avun piiriin.

## Merkit

Kiinnitä huomiota merkkien yhdistelmään: joku muu pitää hallussaan henkilön passia, velka työnantajalle tai värvääjälle kasvaa, henkilö ei voi liikkua vapaasti tai hän pelkää puhua muiden kuullen.

## Keskustelu

Keskustele henkilön kanssa kahden kesken rauhallisessa paikassa. Käytä ammattitulkkia, älä koskaan perheenjäsentä, työnantajaa tai työtoveria.

## Ohjaaminen auttamisjärjestelmään

Ohjaa henkilö ihmiskaupan uhrien auttamisjärjestelmään, kun epäilet ihmiskauppaa. Ohjaaminen ei edellytä rikosilmoitusta."""

LABOUR_FINDINGS = """## Purpose

Labour inspectors who find signs of forced labour must be able to tell the police the same day. This guideline sets out how.

## A contact point in every police department

Each police department names a contact point for labour exploitation who answers inspectors within one working day.

## What the inspector sends

The inspector sends a short report through the secure channel: the workplace, the signs found, and the workers' situation as far as it is known.

## What the police do next

The police assess the report and tell the inspector whether they start an investigation. The inspector may continue the inspection unless the police ask otherwise."""

INTERPRETING = """## Purpose

Presumed victims identified outside office hours must be heard in a language they understand without waiting until morning.

## Telephone interpreting at night

The assistance system funds telephone interpreting around the clock for the languages most often needed.

## Booking

The authority that meets the person books the interpreter through the assistance system's duty phone."""

CHILDREN_FI = """## Tarkoitus

Ohje auttaa lastensuojelun, koulujen ja poliisin työntekijöitä tunnistamaan lapset ja nuoret, joita pakotetaan rikoksiin.

## Merkit

Nuorella on yllättäen rahaa tai tavaroita, hän katoaa toistuvasti, hänellä on velkaa vanhemmille tuttaville tai hän kertoo joutuvansa tekemään rikoksia.

## Toiminta

Selvitä ihmiskaupan mahdollisuus aina, kun nuori on toistuvasti epäiltynä rikoksista aikuisten ohjauksessa. Ohjaa nuori auttamisjärjestelmään ja tee lastensuojeluilmoitus."""

RECEPTION = """## Purpose

Temporary guidance while two reception centres in Uusimaa close.

## Moving residents

Residents identified as presumed victims are moved together with their support workers to the same new centre."""


@dataclass(frozen=True)
class DemoComment:
    author: str
    body: str
    paragraph: int | None = None
    language: str = "en"
    proposed: str = ""
    response: str = "accepted"
    reason: str = ""


@dataclass(frozen=True)
class DemoGuideline:
    title: str
    body: str
    organisation: str
    drafter: str
    audiences: tuple[str, ...]
    sectors: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    language: str = "en"
    scope: str = ""
    translations: tuple[tuple[str, str, str], ...] = ()
    # The route through the lifecycle: "consult", "answer", "revise", "approve", "publish",
    # "withdraw"; a revision rewrites the text to `revision`.
    route: tuple[str, ...] = ()
    organisations_invited: tuple[str, ...] = ()
    people_invited: tuple[str, ...] = ()
    comments: tuple[DemoComment, ...] = ()
    statement: tuple[str, str] = ("", "")
    revision: str = ""
    replaces: str = ""
    withdraw_reason: str = ""


GUIDELINES = [
    DemoGuideline(
        title="Signs of human trafficking: a checklist for first responders (2019)",
        body=CHECKLIST_2019,
        organisation="Ministry of the Interior",
        drafter="coordinator",
        audiences=("first_responders",),
        sectors=("police", "border_control", "social_services"),
        route=("consult", "answer", "revise", "approve", "publish"),
        organisations_invited=("National Police Board",),
        scope="First contacts with people who may be victims of trafficking.",
    ),
    DemoGuideline(
        title="Identifying and referring presumed victims of trafficking",
        body=IDENTIFYING_V1,
        organisation="Ministry of the Interior",
        drafter="secretariat",
        audiences=(
            "first_responders",
            "police",
            "border_guards",
            "labour_inspectors",
            "social_health",
        ),
        sectors=(
            "police",
            "border_control",
            "labour_inspection",
            "social_services",
            "assistance_system",
        ),
        forms=("forced_labour", "sexual_exploitation", "forced_criminality"),
        challenges=("Auttamisjärjestelmään ohjaaminen vaatii liikaa todisteita",),
        scope=(
            "Everyone who may meet a presumed victim in their work: recognising the signs, "
            "talking with the person, and referring them to assistance."
        ),
        translations=(("fi", "Ihmiskaupan uhrin tunnistaminen ja ohjaaminen", IDENTIFYING_FI),),
        route=("consult", "answer", "revise", "approve", "publish"),
        organisations_invited=(
            "Victim Support Finland",
            "Helsinki Police Department",
            "Occupational Safety and Health Authority",
            "Finnish Border and Coast Guard",
        ),
        people_invited=("r.koivisto",),
        comments=(
            DemoComment(
                "ngo",
                "NGOs meet presumed victims first more often than any authority. Name them.",
                paragraph=2,
                proposed="It applies to the police, border guards, labour inspectors, social "
                "and health services, reception centres and NGOs.",
            ),
            DemoComment(
                "practitioner",
                "Say that the person may refuse help; otherwise officers press for a decision "
                "on the spot.",
                paragraph=6,
                proposed="Tell the person what will happen next and that they may refuse help.",
            ),
            DemoComment(
                "a.berg",
                "Children rarely show these signs. Add a line about them.",
                paragraph=4,
                response="partly",
                reason="A line on children is added; a separate guideline on children forced "
                "into crime is being drafted.",
            ),
            DemoComment(
                "v.peltonen",
                "Border guards need the assistance system's night number in the text itself.",
                paragraph=8,
            ),
            DemoComment(
                "ngo",
                "Many victims fear that help depends on going to the police. Say it does not.",
                paragraph=8,
            ),
            DemoComment(
                "r.koivisto",
                "Ohjaamiseen ei tarvita rikosilmoitusta eikä yhteistyötä poliisin kanssa; "
                "tämä on syytä sanoa suoraan.",
                paragraph=8,
                language="fi",
                response="accepted",
            ),
            DemoComment(
                "practitioner",
                "A form for recording what was done would make this easier to follow.",
                paragraph=None,
                response="not_accepted",
                reason="Each authority keeps its own records; the guideline says what to "
                "record, not where.",
            ),
        ),
        statement=(
            "Victim Support Finland",
            "Victim Support Finland supports the guideline. Our comments ask that NGOs be named "
            "among first responders and that victims be told help does not depend on the police.",
        ),
        revision=IDENTIFYING_V2,
        replaces="Signs of human trafficking: a checklist for first responders (2019)",
    ),
    DemoGuideline(
        title="Sharing labour inspection findings with the police",
        body=LABOUR_FINDINGS,
        organisation="Ministry of Economic Affairs and Employment",
        drafter="secretariat2",
        audiences=("labour_inspectors", "police"),
        sectors=("labour_inspection", "police"),
        forms=("forced_labour",),
        challenges=("Labour inspectors cannot share findings with the police quickly enough",),
        scope="Cases where a labour inspection finds signs of forced labour or exploitation.",
        route=("consult",),
        organisations_invited=(
            "Occupational Safety and Health Authority",
            "Helsinki Police Department",
            "National Prosecution Authority",
        ),
        comments=(
            DemoComment(
                "practitioner",
                "One working day is realistic only if the contact point has a deputy.",
                paragraph=4,
                proposed="Each police department names a contact point and a deputy for labour "
                "exploitation, who answer inspectors within one working day.",
            ),
            DemoComment(
                "e.nurmi",
                "Prosecutors should be told of the report as soon as the police start an "
                "investigation.",
                paragraph=8,
            ),
        ),
    ),
    DemoGuideline(
        title="Interpreting for presumed victims outside office hours",
        body=INTERPRETING,
        organisation="Ministry of Social Affairs and Health",
        drafter="secretariat2",
        audiences=("first_responders", "assistance"),
        sectors=("assistance_system", "police"),
        challenges=("No interpreter available for victims speaking Vietnamese at night",),
        scope="Interpreting for presumed victims met in the evening, at night or at weekends.",
    ),
    DemoGuideline(
        title="Rikoksiin pakotettujen lasten tunnistaminen",
        body=CHILDREN_FI,
        language="fi",
        organisation="Ministry of Social Affairs and Health",
        drafter="secretariat2",
        audiences=("social_health", "education", "police"),
        sectors=("social_services", "education", "police"),
        forms=("forced_criminality",),
        challenges=("Lastensuojelu ei tunnista nuoria, joita pakotetaan rikoksiin",),
        scope="Lapset ja nuoret, joita aikuiset käyttävät rikosten tekemiseen.",
        route=("consult", "answer", "revise", "approve"),
        organisations_invited=("Pirkanmaa Wellbeing Services County", "Helsinki Police Department"),
        comments=(
            DemoComment(
                "n.salo",
                "Lisätkää, että lastensuojeluilmoitus tehdään myös, kun nuori on täysi-ikäisyyden "
                "rajalla.",
                paragraph=6,
                language="fi",
            ),
        ),
        revision=CHILDREN_FI.replace(
            "ja tee lastensuojeluilmoitus.",
            "ja tee lastensuojeluilmoitus, myös kun nuori on lähellä täysi-ikäisyyttä.",
        ),
    ),
    DemoGuideline(
        title="Temporary guidance on reception centre closures in Uusimaa",
        body=RECEPTION,
        organisation="Ministry of the Interior",
        drafter="coordinator",
        audiences=("migration", "assistance"),
        sectors=("reception_immigration",),
        route=("consult", "answer", "revise", "approve", "publish", "withdraw"),
        organisations_invited=("Finnish Immigration Service",),
        withdraw_reason="The reception centres were not closed after all.",
    ),
]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _categories(kind: str, codes: tuple[str, ...]) -> list[Category]:
    found = [category_get(kind=kind, code=code) for code in codes]
    return [category for category in found if category is not None]


def _paragraph_id(guideline: Guideline, language: str, index: int | None) -> str:
    if index is None:
        return ""
    text = GuidelineText.objects.get(version_id=guideline.current_version_id, language=language)
    return str(text.paragraphs[index - 1]["id"])


def _load_one(item: DemoGuideline) -> tuple[Guideline, int]:
    drafter = _user(item.drafter)
    data = services.GuidelineInput(
        organisation=Organisation.objects.get(name=item.organisation),
        scope=item.scope,
        language=item.language,
        audiences=item.audiences,
        sectors=_categories(TypologyKind.SECTOR, item.sectors),
        exploitation_forms=_categories(TypologyKind.EXPLOITATION_FORM, item.forms),
        challenges=list(Challenge.objects.filter(title__in=item.challenges)),
        replaces=Guideline.objects.filter(title=item.replaces).first() if item.replaces else None,
    )
    guideline = services.guideline_create(
        actor=drafter, data=data, title=item.title, body=item.body
    )
    for language, title, body in item.translations:
        services.guideline_save_text(
            actor=drafter,
            guideline=guideline,
            language=language,
            title=title,
            body=body,
            note="Finnish text",
        )
    guideline.refresh_from_db()
    comments = 0
    if "consult" in item.route:
        consultation = services.consultation_open(
            actor=drafter,
            guideline=guideline,
            deadline=timezone.localdate() + timedelta(days=21),
            organisations=list(Organisation.objects.filter(name__in=item.organisations_invited)),
            people=[_user(username) for username in item.people_invited],
            introduction="Please comment on each paragraph where your work is concerned.",
        )
        written = []
        for demo_comment in item.comments:
            written.append(
                services.comment_add(
                    actor=_user(demo_comment.author),
                    consultation=consultation,
                    body=demo_comment.body,
                    language=demo_comment.language,
                    paragraph_id=_paragraph_id(
                        guideline, demo_comment.language, demo_comment.paragraph
                    ),
                    proposed_text=demo_comment.proposed,
                )
            )
        comments = len(written)
        organisation_name, statement_text = item.statement
        if organisation_name:
            organisation = Organisation.objects.get(name=organisation_name)
            services.statement_submit(
                actor=_user("ngo"),
                consultation=consultation,
                organisation=organisation,
                text=statement_text,
                comments=[c for c in written if c.organisation_id == organisation.pk],
            )
        if "answer" in item.route:
            services.consultation_close(actor=drafter, consultation=consultation)
            consultation.refresh_from_db()
            for comment, demo_comment in zip(written, item.comments, strict=True):
                services.comment_answer(
                    actor=drafter,
                    comment=comment,
                    response=demo_comment.response,
                    reason=demo_comment.reason
                    or ("Changed as proposed." if demo_comment.response == "accepted" else ""),
                )
            if written:
                services.report_publish(actor=drafter, consultation=consultation)
    if "revise" in item.route:
        guideline = services.guideline_revise(actor=drafter, guideline=guideline)
        if item.revision:
            services.guideline_save_text(
                actor=drafter,
                guideline=guideline,
                language=item.language,
                title=item.title,
                body=item.revision,
                note="Revised after the consultation",
            )
    if "approve" in item.route:
        guideline = services.guideline_approve(
            actor=_user("coordinator"),
            guideline=guideline,
            approved_on=timezone.localdate(),
            body=Body.objects.get(name=SECRETARIAT_BODY),
            note="Approved at the secretariat's meeting.",
        )
    if "publish" in item.route:
        guideline = services.guideline_publish(actor=_user("coordinator"), guideline=guideline)
        for username in ("practitioner", "ngo"):
            services.guideline_subscribe(actor=_user(username), guideline=guideline)
    if "withdraw" in item.route:
        guideline = services.guideline_withdraw(
            actor=_user("coordinator"), guideline=guideline, reason=item.withdraw_reason
        )
    return guideline, comments


@transaction.atomic
def load() -> dict[str, int]:
    """Drafts the demo guidelines that are missing; running it twice adds nothing."""
    existing = set(Guideline.objects.values_list("title", flat=True))
    created = {"guidelines": 0, "comments": 0}
    for item in GUIDELINES:
        if item.title in existing:
            continue
        _guideline, comments = _load_one(item)
        created["guidelines"] += 1
        created["comments"] += comments
    return created


def summary(created: dict[str, int]) -> list[str]:
    return [
        f"Demo guidelines created: {created['guidelines']} "
        f"(with {created['comments']} consultation comments)."
    ]
