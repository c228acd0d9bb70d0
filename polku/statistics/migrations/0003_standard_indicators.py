"""The indicators of the EU and Eurostat trafficking data collection, as editable data."""

from django.db import migrations

VICTIM = ["sex", "age_group", "age_band", "citizenship", "country", "exploitation_form"]
PERSON = ["sex", "age_group", "age_band", "citizenship", "country"]

INDICATORS = [
    (
        "registered_victims",
        "persons",
        VICTIM,
        (
            "Registered victims",
            "Rekisteröidyt uhrit",
            "Registrerade offer",
        ),
        (
            "Victims of trafficking in human beings registered by the organisation during the "
            "year: identified victims, and presumed victims who meet the criteria of the "
            "Directive 2011/36/EU but have not been formally identified (as in Eurostat's "
            "crim_thb collection). Each person is counted once per year by each organisation.",
            "Organisaation vuoden aikana rekisteröimät ihmiskaupan uhrit: tunnistetut uhrit "
            "sekä oletetut uhrit, jotka täyttävät direktiivin 2011/36/EU kriteerit mutta joita "
            "ei ole virallisesti tunnistettu (kuten Eurostatin crim_thb-tilastossa). Kukin "
            "henkilö lasketaan kerran vuodessa kussakin organisaatiossa.",
            "Offer för människohandel som organisationen registrerat under året: "
            "identifierade offer och förmodade offer som uppfyller kriterierna i direktiv "
            "2011/36/EU men inte formellt identifierats (som i Eurostats crim_thb-insamling). "
            "Varje person räknas en gång per år och organisation.",
        ),
    ),
    (
        "presumed_victims_referred",
        "persons",
        VICTIM,
        (
            "Presumed victims referred to the assistance system",
            "Auttamisjärjestelmään ohjatut oletetut uhrit",
            "Förmodade offer som hänvisats till hjälpsystemet",
        ),
        (
            "Persons the organisation referred to the national assistance system for victims "
            "during the year because there were grounds to presume they were victims.",
            "Henkilöt, jotka organisaatio ohjasi vuoden aikana kansalliseen ihmiskaupan "
            "uhrien auttamisjärjestelmään, koska oli perusteltua syytä olettaa heidän olevan "
            "uhreja.",
            "Personer som organisationen under året hänvisat till det nationella hjälpsystemet "
            "för offer eftersom det fanns skäl att anta att de var offer.",
        ),
    ),
    (
        "assistance_admitted",
        "persons",
        VICTIM,
        (
            "Persons admitted to assistance",
            "Auttamisjärjestelmään otetut henkilöt",
            "Personer som tagits in i hjälpsystemet",
        ),
        (
            "Presumed or identified victims admitted as new clients of the assistance system "
            "during the year, not counting the minor children of clients.",
            "Oletetut tai tunnistetut uhrit, jotka otettiin vuoden aikana "
            "auttamisjärjestelmän uusiksi asiakkaiksi, ilman asiakkaiden alaikäisiä lapsia.",
            "Förmodade eller identifierade offer som under året tagits in som nya klienter i "
            "hjälpsystemet, utan klienternas minderåriga barn.",
        ),
    ),
    (
        "suspects",
        "persons",
        PERSON,
        ("Suspects", "Epäillyt", "Misstänkta"),
        (
            "Persons suspected of trafficking in human beings or aggravated trafficking in an "
            "investigation the organisation opened or conducted during the year.",
            "Henkilöt, joita epäiltiin ihmiskaupasta tai törkeästä ihmiskaupasta "
            "organisaation vuoden aikana aloittamassa tai tekemässä esitutkinnassa.",
            "Personer misstänkta för människohandel eller grov människohandel i en "
            "förundersökning som organisationen inlett eller genomfört under året.",
        ),
    ),
    (
        "prosecuted",
        "persons",
        PERSON,
        ("Prosecuted persons", "Syytetyt", "Åtalade personer"),
        (
            "Persons charged with trafficking in human beings or aggravated trafficking during "
            "the year.",
            "Henkilöt, joita vastaan nostettiin vuoden aikana syyte ihmiskaupasta tai "
            "törkeästä ihmiskaupasta.",
            "Personer som under året åtalats för människohandel eller grov människohandel.",
        ),
    ),
    (
        "convicted",
        "persons",
        PERSON,
        ("Convicted persons", "Tuomitut", "Dömda personer"),
        (
            "Persons convicted at first instance of trafficking in human beings or aggravated "
            "trafficking during the year.",
            "Henkilöt, jotka tuomittiin vuoden aikana ensimmäisessä oikeusasteessa "
            "ihmiskaupasta tai törkeästä ihmiskaupasta.",
            "Personer som under året dömts i första instans för människohandel eller grov "
            "människohandel.",
        ),
    ),
    (
        "investigations_opened",
        "cases",
        ["exploitation_form"],
        ("Investigations opened", "Aloitetut esitutkinnat", "Inledda förundersökningar"),
        (
            "Criminal investigations of trafficking in human beings or aggravated trafficking "
            "opened by the organisation during the year, by the main form of exploitation.",
            "Organisaation vuoden aikana aloittamat ihmiskaupan tai törkeän ihmiskaupan "
            "esitutkinnat pääasiallisen hyväksikäytön muodon mukaan.",
            "Förundersökningar om människohandel eller grov människohandel som organisationen "
            "inlett under året, efter huvudsaklig form av utnyttjande.",
        ),
    ),
    (
        "residence_permits",
        "decisions",
        ["sex", "age_group", "citizenship", "country"],
        (
            "Residence permits granted to victims",
            "Uhreille myönnetyt oleskeluluvat",
            "Uppehållstillstånd som beviljats offer",
        ),
        (
            "Residence permits, including recovery and reflection periods turned into permits, "
            "granted during the year to victims of trafficking in human beings because they "
            "were victims.",
            "Vuoden aikana ihmiskaupan uhreille uhriaseman perusteella myönnetyt "
            "oleskeluluvat.",
            "Uppehållstillstånd som under året beviljats offer för människohandel på grund av "
            "att de var offer.",
        ),
    ),
]


def create(apps, schema_editor):
    Indicator = apps.get_model("statistics", "Indicator")
    for order, (code, unit, dimensions, names, definitions) in enumerate(INDICATORS, start=1):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": names[0],
                "name_fi": names[1],
                "name_sv": names[2],
                "definition": definitions[0],
                "definition_fi": definitions[1],
                "definition_sv": definitions[2],
                "unit": unit,
                "dimensions": dimensions,
                "order": order * 10,
            },
        )


def remove(apps, schema_editor):
    Indicator = apps.get_model("statistics", "Indicator")
    Indicator.objects.filter(code__in=[code for code, *_rest in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("statistics", "0002_returns_and_indicators")]

    operations = [migrations.RunPython(create, remove)]
