"""Finland's public anti-trafficking structure with fictional people, for the demo."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import BodyKind, BodyRole, BodyVisibility, OrganisationKind
from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.audit.services import audit_write

DEMO_PASSWORD = "polku-demo"  # noqa: S105 - published in the README for the demo only


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    name_fi: str
    name_sv: str
    short_name: str
    kind: str
    parent: str = ""
    region: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        "sm",
        "Ministry of the Interior",
        "Sisäministeriö",
        "Inrikesministeriet",
        "SM",
        OrganisationKind.MINISTRY,
    ),
    DemoOrganisation(
        "om",
        "Ministry of Justice",
        "Oikeusministeriö",
        "Justitieministeriet",
        "OM",
        OrganisationKind.MINISTRY,
    ),
    DemoOrganisation(
        "stm",
        "Ministry of Social Affairs and Health",
        "Sosiaali- ja terveysministeriö",
        "Social- och hälsovårdsministeriet",
        "STM",
        OrganisationKind.MINISTRY,
    ),
    DemoOrganisation(
        "tem",
        "Ministry of Economic Affairs and Employment",
        "Työ- ja elinkeinoministeriö",
        "Arbets- och näringsministeriet",
        "TEM",
        OrganisationKind.MINISTRY,
    ),
    DemoOrganisation(
        "um",
        "Ministry for Foreign Affairs",
        "Ulkoministeriö",
        "Utrikesministeriet",
        "UM",
        OrganisationKind.MINISTRY,
    ),
    DemoOrganisation(
        "okm",
        "Ministry of Education and Culture",
        "Opetus- ja kulttuuriministeriö",
        "Undervisnings- och kulturministeriet",
        "OKM",
        OrganisationKind.MINISTRY,
    ),
    DemoOrganisation(
        "poliisihallitus",
        "National Police Board",
        "Poliisihallitus",
        "Polisstyrelsen",
        "POHA",
        OrganisationKind.AUTHORITY,
        parent="sm",
    ),
    DemoOrganisation(
        "helsinki_police",
        "Helsinki Police Department",
        "Helsingin poliisilaitos",
        "Polisinrättningen i Helsingfors",
        "",
        OrganisationKind.AUTHORITY,
        parent="poliisihallitus",
        region="Uusimaa",
    ),
    DemoOrganisation(
        "raja",
        "Finnish Border and Coast Guard",
        "Rajavartiolaitos",
        "Gränsbevakningsväsendet",
        "RVL",
        OrganisationKind.AUTHORITY,
        parent="sm",
    ),
    DemoOrganisation(
        "syyttaja",
        "National Prosecution Authority",
        "Syyttäjälaitos",
        "Åklagarmyndigheten",
        "",
        OrganisationKind.AUTHORITY,
        parent="om",
    ),
    DemoOrganisation(
        "tyosuojelu",
        "Occupational Safety and Health Authority",
        "Työsuojeluhallinto",
        "Arbetarskyddsförvaltningen",
        "",
        OrganisationKind.AUTHORITY,
        parent="stm",
    ),
    DemoOrganisation(
        "migri",
        "Finnish Immigration Service",
        "Maahanmuuttovirasto",
        "Migrationsverket",
        "Migri",
        OrganisationKind.AUTHORITY,
        parent="sm",
    ),
    DemoOrganisation(
        "auttamis",
        "Assistance System for Victims of Human Trafficking",
        "Ihmiskaupan uhrien auttamisjärjestelmä",
        "Hjälpsystemet för offer för människohandel",
        "",
        OrganisationKind.AUTHORITY,
        parent="migri",
    ),
    DemoOrganisation(
        "helsinki",
        "City of Helsinki",
        "Helsingin kaupunki",
        "Helsingfors stad",
        "",
        OrganisationKind.MUNICIPALITY,
        region="Uusimaa",
    ),
    DemoOrganisation(
        "pirkanmaa",
        "Pirkanmaa Wellbeing Services County",
        "Pirkanmaan hyvinvointialue",
        "Birkalands välfärdsområde",
        "",
        OrganisationKind.MUNICIPALITY,
        region="Pirkanmaa",
    ),
    DemoOrganisation(
        "lansi_uusimaa",
        "Western Uusimaa Wellbeing Services County",
        "Länsi-Uudenmaan hyvinvointialue",
        "Västra Nylands välfärdsområde",
        "",
        OrganisationKind.MUNICIPALITY,
        region="Uusimaa",
    ),
    DemoOrganisation(
        "pohjois_pohjanmaa",
        "North Ostrobothnia Wellbeing Services County",
        "Pohjois-Pohjanmaan hyvinvointialue",
        "Norra Österbottens välfärdsområde",
        "",
        OrganisationKind.MUNICIPALITY,
        region="North Ostrobothnia",
    ),
    DemoOrganisation(
        "lappi",
        "Lapland Wellbeing Services County",
        "Lapin hyvinvointialue",
        "Lapplands välfärdsområde",
        "",
        OrganisationKind.MUNICIPALITY,
        region="Lapland",
    ),
    DemoOrganisation(
        "riku",
        "Victim Support Finland",
        "Rikosuhripäivystys",
        "Brottsofferjouren",
        "RIKU",
        OrganisationKind.NGO,
    ),
    DemoOrganisation(
        "pro",
        "Pro-tukipiste",
        "Pro-tukipiste",
        "Pro-tukipiste",
        "",
        OrganisationKind.NGO,
        region="Uusimaa",
    ),
    DemoOrganisation(
        "monika",
        "Monika Women's Association",
        "Monika-Naiset liitto",
        "Monika-Naiset liitto",
        "",
        OrganisationKind.NGO,
    ),
    DemoOrganisation(
        "pakolaisneuvonta",
        "Finnish Refugee Advice Centre",
        "Pakolaisneuvonta",
        "Flyktingrådgivningen",
        "",
        OrganisationKind.NGO,
    ),
    DemoOrganisation(
        "heuni",
        "European Institute for Crime Prevention and Control",
        "Euroopan kriminaalipolitiikan instituutti",
        "Europeiska institutet för kriminalpolitik",
        "HEUNI",
        OrganisationKind.RESEARCH,
    ),
    DemoOrganisation(
        "iom",
        "International Organization for Migration, Helsinki office",
        "Kansainvälinen siirtolaisuusjärjestö, Helsingin toimisto",
        "Internationella organisationen för migration, Helsingforskontoret",
        "IOM",
        OrganisationKind.INTERNATIONAL,
    ),
    DemoOrganisation(
        "government",
        "Ministerial Working Group on Internal Security",
        "Sisäisen turvallisuuden ministerityöryhmä",
        "Ministerarbetsgruppen för inre säkerhet",
        "",
        OrganisationKind.POLITICAL,
    ),
    DemoOrganisation(
        "ombudsman",
        "Non-Discrimination Ombudsman",
        "Yhdenvertaisuusvaltuutettu",
        "Diskrimineringsombudsmannen",
        "",
        OrganisationKind.RAPPORTEUR,
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    job_title: str
    organisation: str
    role: str
    login: bool = False


PEOPLE = [
    DemoPerson(
        "coordinator",
        "Anna",
        "Virtanen",
        "National Anti-Trafficking Coordinator",
        "sm",
        Role.COORDINATOR,
        True,
    ),
    DemoPerson(
        "secretariat", "Mikko", "Laine", "Senior Ministerial Adviser", "om", Role.SECRETARIAT, True
    ),
    DemoPerson(
        "secretariat2", "Sanna", "Korhonen", "Senior Officer", "stm", Role.SECRETARIAT, True
    ),
    DemoPerson(
        "practitioner",
        "Jari",
        "Nieminen",
        "Detective Sergeant",
        "helsinki_police",
        Role.PRACTITIONER,
        True,
    ),
    DemoPerson("ngo", "Laura", "Mäkinen", "Victim Support Worker", "riku", Role.PRACTITIONER, True),
    DemoPerson(
        "decisionmaker",
        "Petri",
        "Heikkinen",
        "Minister's Special Adviser",
        "government",
        Role.DECISION_MAKER,
        True,
    ),
    DemoPerson(
        "dataprovider",
        "Tiina",
        "Koskinen",
        "Statistician",
        "poliisihallitus",
        Role.DATA_PROVIDER,
        True,
    ),
    DemoPerson(
        "rapporteur",
        "Eeva",
        "Järvinen",
        "Senior Adviser to the National Rapporteur",
        "ombudsman",
        Role.RAPPORTEUR,
        True,
    ),
    DemoPerson("admin", "Olli", "Lehtonen", "System Administrator", "sm", Role.ADMINISTRATOR, True),
    DemoPerson("k.salonen", "Kari", "Salonen", "Ministerial Adviser", "tem", Role.SECRETARIAT),
    DemoPerson("h.lindqvist", "Helena", "Lindqvist", "Counsellor", "um", Role.SECRETARIAT),
    DemoPerson("m.aaltonen", "Marja", "Aaltonen", "Education Counsellor", "okm", Role.SECRETARIAT),
    DemoPerson("t.hakala", "Timo", "Hakala", "Senior Specialist", "sm", Role.SECRETARIAT),
    DemoPerson("p.ahonen", "Päivi", "Ahonen", "Legislative Counsellor", "om", Role.SECRETARIAT),
    DemoPerson("j.rantanen", "Juha", "Rantanen", "Senior Officer", "stm", Role.SECRETARIAT),
    DemoPerson("s.lehto", "Satu", "Lehto", "Specialist", "tem", Role.SECRETARIAT),
    DemoPerson("a.berg", "Anders", "Berg", "Senior Inspector", "tyosuojelu", Role.PRACTITIONER),
    DemoPerson("n.salo", "Noora", "Salo", "Social Worker", "pirkanmaa", Role.PRACTITIONER),
    DemoPerson("r.koivisto", "Riikka", "Koivisto", "Senior Adviser", "auttamis", Role.PRACTITIONER),
    DemoPerson(
        "v.peltonen", "Ville", "Peltonen", "Border Guard Inspector", "raja", Role.PRACTITIONER
    ),
    DemoPerson("e.nurmi", "Elina", "Nurmi", "District Prosecutor", "syyttaja", Role.PRACTITIONER),
    DemoPerson("k.forsman", "Kristina", "Forsman", "Outreach Worker", "pro", Role.PRACTITIONER),
    DemoPerson("l.hamid", "Leila", "Hamid", "Counsellor", "monika", Role.PRACTITIONER),
    DemoPerson("o.vainio", "Otto", "Vainio", "Lawyer", "pakolaisneuvonta", Role.PRACTITIONER),
    DemoPerson("m.huttunen", "Minna", "Huttunen", "Researcher", "heuni", Role.PRACTITIONER),
    DemoPerson("a.kallio", "Antti", "Kallio", "Statistician", "migri", Role.DATA_PROVIDER),
]


@dataclass(frozen=True)
class DemoBody:
    name: str
    name_fi: str
    name_sv: str
    kind: str
    convened_by: str
    visibility: str
    mandate: str
    seats: tuple[tuple[str, str, str], ...]  # (username, organisation key, body role)


BODIES = [
    DemoBody(
        "National Anti-Trafficking Secretariat",
        "Ihmiskaupan vastaisen työn sihteeristö",
        "Sekretariatet för arbetet mot människohandel",
        BodyKind.SECRETARIAT,
        "sm",
        BodyVisibility.ALL_USERS,
        "Supports the national coordinator: triages practitioners' challenges, prepares "
        "guidelines and briefings, follows the action plan and prepares international reporting.",
        (
            ("coordinator", "sm", BodyRole.CHAIR),
            ("t.hakala", "sm", BodyRole.SECRETARY),
            ("secretariat", "om", BodyRole.FOCAL_POINT),
            ("p.ahonen", "om", BodyRole.DEPUTY_FOCAL_POINT),
            ("secretariat2", "stm", BodyRole.FOCAL_POINT),
            ("j.rantanen", "stm", BodyRole.DEPUTY_FOCAL_POINT),
            ("k.salonen", "tem", BodyRole.FOCAL_POINT),
            ("s.lehto", "tem", BodyRole.DEPUTY_FOCAL_POINT),
            ("h.lindqvist", "um", BodyRole.FOCAL_POINT),
            ("m.aaltonen", "okm", BodyRole.FOCAL_POINT),
        ),
    ),
    DemoBody(
        "Working Group on Labour Exploitation",
        "Työperäisen hyväksikäytön työryhmä",
        "Arbetsgruppen för arbetsrelaterad exploatering",
        BodyKind.WORKING_GROUP,
        "tem",
        BodyVisibility.ALL_USERS,
        "Brings labour inspection, the police, prosecutors and NGOs together on forced labour "
        "and labour exploitation cases.",
        (
            ("k.salonen", "tem", BodyRole.CHAIR),
            ("s.lehto", "tem", BodyRole.SECRETARY),
            ("a.berg", "tyosuojelu", BodyRole.MEMBER),
            ("practitioner", "helsinki_police", BodyRole.MEMBER),
            ("e.nurmi", "syyttaja", BodyRole.MEMBER),
            ("o.vainio", "pakolaisneuvonta", BodyRole.MEMBER),
        ),
    ),
    DemoBody(
        "Victim Identification Working Group",
        "Uhrien tunnistamisen työryhmä",
        "Arbetsgruppen för identifiering av offer",
        BodyKind.WORKING_GROUP,
        "sm",
        BodyVisibility.MEMBERS,
        "Reviews how presumed victims are identified and referred to assistance.",
        (
            ("secretariat2", "stm", BodyRole.CHAIR),
            ("r.koivisto", "auttamis", BodyRole.SECRETARY),
            ("v.peltonen", "raja", BodyRole.MEMBER),
            ("n.salo", "pirkanmaa", BodyRole.MEMBER),
            ("ngo", "riku", BodyRole.MEMBER),
        ),
    ),
    DemoBody(
        "Civil Society Round Table",
        "Järjestöjen pyöreä pöytä",
        "Civilsamhällets rundabordssamtal",
        BodyKind.ROUND_TABLE,
        "sm",
        BodyVisibility.ALL_USERS,
        "Twice a year the coordinator hears NGOs and researchers working against trafficking.",
        (
            ("coordinator", "sm", BodyRole.CHAIR),
            ("ngo", "riku", BodyRole.MEMBER),
            ("k.forsman", "pro", BodyRole.MEMBER),
            ("l.hamid", "monika", BodyRole.MEMBER),
            ("m.huttunen", "heuni", BodyRole.GUEST),
            ("rapporteur", "ombudsman", BodyRole.GUEST),
        ),
    ),
]


@transaction.atomic
def load() -> dict[str, int]:
    """Creates what is missing and leaves what exists: running it twice changes nothing."""
    created = {"organisations": 0, "people": 0, "memberships": 0, "bodies": 0, "seats": 0}
    organisations: dict[str, Organisation] = {}
    for item in ORGANISATIONS:
        organisation, was_created = Organisation.objects.get_or_create(
            name=item.name,
            defaults={
                "name_fi": item.name_fi,
                "name_sv": item.name_sv,
                "short_name": item.short_name,
                "kind": item.kind,
                "region": item.region,
                "parent": organisations.get(item.parent),
            },
        )
        organisations[item.key] = organisation
        created["organisations"] += was_created
    now = timezone.now()
    people: dict[str, User] = {}
    for person in PEOPLE:
        user, was_created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "job_title": person.job_title,
                "email": f"{person.username}@demo.polku.invalid",
            },
        )
        if was_created:
            if person.login:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
        people[person.username] = user
        created["people"] += was_created
        _, membership_created = Membership.objects.get_or_create(
            user=user,
            organisation=organisations[person.organisation],
            role=person.role,
            defaults={"title": person.job_title, "confirmed_at": now},
        )
        created["memberships"] += membership_created
    for demo_body in BODIES:
        body, was_created = Body.objects.get_or_create(
            name=demo_body.name,
            defaults={
                "name_fi": demo_body.name_fi,
                "name_sv": demo_body.name_sv,
                "kind": demo_body.kind,
                "convened_by": organisations[demo_body.convened_by],
                "visibility": demo_body.visibility,
                "mandate": demo_body.mandate,
            },
        )
        created["bodies"] += was_created
        for username, organisation_key, role in demo_body.seats:
            _, seat_created = BodyMember.objects.get_or_create(
                body=body,
                user=people[username],
                defaults={"organisation": organisations[organisation_key], "role": role},
            )
            created["seats"] += seat_created
    audit_write(actor=None, action="actors.demo.load", detail=created)
    return created


DEMO_LOGINS = [(person.username, person.job_title) for person in PEOPLE if person.login]


def summary(created: dict[str, int]) -> list[str]:
    counts = ", ".join(f"{count} {name}" for name, count in created.items())
    return [f"Demo data ready (created: {counts})."]


def closing() -> list[str]:
    """Printed after every app's demo, so the logins are the last thing on the screen."""
    return [
        f"Demo logins (password: {DEMO_PASSWORD}):",
        *(f"  {username:<15} {title}" for username, title in DEMO_LOGINS),
    ]
