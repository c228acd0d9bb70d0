"""Version 1 of the forms of exploitation, sectors, affected groups and regions."""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2025, 1, 1)

TYPOLOGIES = {
    "exploitation_form": (
        ("Forms of exploitation", "Hyväksikäytön muodot", "Former av utnyttjande"),
        [
            ("sexual_exploitation", "Sexual exploitation", "Seksuaalinen hyväksikäyttö", "Sexuellt utnyttjande"),
            ("forced_labour", "Forced labour", "Pakkotyö", "Tvångsarbete"),
            ("forced_criminality", "Forced criminality", "Rikollisuuteen pakottaminen", "Tvång att begå brott"),
            ("forced_begging", "Forced begging", "Kerjäämään pakottaminen", "Tvångstiggeri"),
            ("forced_marriage", "Forced marriage", "Pakkoavioliitto", "Tvångsäktenskap"),
            ("organ_removal", "Removal of organs", "Elinten poistaminen", "Avlägsnande av organ"),
            ("illegal_adoption", "Illegal adoption", "Laiton adoptio", "Olaglig adoption"),
            ("surrogacy_exploitation", "Exploitation of surrogacy", "Sijaissynnytyksen hyväksikäyttö", "Utnyttjande av surrogatmoderskap"),
            ("other", "Other", "Muu", "Annan"),
        ],
    ),
    "sector": (
        ("Sectors", "Toimialat", "Sektorer"),
        [
            ("police", "Police", "Poliisi", "Polisen"),
            ("border_control", "Border control", "Rajavalvonta", "Gränsbevakning"),
            ("prosecution", "Prosecution", "Syyttäjälaitos", "Åklagarväsendet"),
            ("courts", "Courts", "Tuomioistuimet", "Domstolar"),
            ("labour_inspection", "Labour inspection", "Työsuojelu", "Arbetarskydd"),
            ("social_services", "Social services", "Sosiaalipalvelut", "Socialtjänster"),
            ("health_care", "Health care", "Terveydenhuolto", "Hälso- och sjukvård"),
            ("reception_immigration", "Reception and immigration", "Vastaanotto ja maahanmuutto", "Mottagning och invandring"),
            ("assistance_system", "Assistance system for victims", "Ihmiskaupan uhrien auttamisjärjestelmä", "Hjälpsystemet för offer"),
            ("ngos", "Non-governmental organisations", "Järjestöt", "Frivilligorganisationer"),
            ("education", "Education", "Koulutus", "Utbildning"),
            ("municipalities", "Municipalities and wellbeing services counties", "Kunnat ja hyvinvointialueet", "Kommuner och välfärdsområden"),
            ("other", "Other", "Muu", "Annan"),
        ],
    ),
    "affected_group": (
        ("Affected groups", "Kohderyhmät", "Berörda grupper"),
        [
            ("children", "Children", "Lapset", "Barn"),
            ("migrant_workers", "Migrant workers", "Siirtotyöntekijät", "Migrantarbetare"),
            ("asylum_seekers", "Asylum seekers", "Turvapaikanhakijat", "Asylsökande"),
            ("undocumented", "Undocumented people", "Paperittomat", "Papperslösa"),
            ("sex_work", "People in sex work", "Seksityötä tekevät", "Personer som säljer sex"),
            ("disabilities", "People with disabilities", "Vammaiset henkilöt", "Personer med funktionsnedsättning"),
            ("men", "Men", "Miehet", "Män"),
            ("women", "Women", "Naiset", "Kvinnor"),
            ("other", "Other", "Muu", "Annan"),
        ],
    ),
    "region": (
        ("Regions", "Alueet", "Regioner"),
        [
            ("whole_country", "Whole country", "Koko maa", "Hela landet"),
            ("uusimaa", "Uusimaa", "Uusimaa", "Nyland"),
            ("southwest_finland", "Southwest Finland", "Varsinais-Suomi", "Egentliga Finland"),
            ("satakunta", "Satakunta", "Satakunta", "Satakunta"),
            ("kanta_hame", "Kanta-Häme", "Kanta-Häme", "Egentliga Tavastland"),
            ("pirkanmaa", "Pirkanmaa", "Pirkanmaa", "Birkaland"),
            ("paijat_hame", "Päijät-Häme", "Päijät-Häme", "Päijänne-Tavastland"),
            ("kymenlaakso", "Kymenlaakso", "Kymenlaakso", "Kymmenedalen"),
            ("south_karelia", "South Karelia", "Etelä-Karjala", "Södra Karelen"),
            ("south_savo", "South Savo", "Etelä-Savo", "Södra Savolax"),
            ("north_savo", "North Savo", "Pohjois-Savo", "Norra Savolax"),
            ("north_karelia", "North Karelia", "Pohjois-Karjala", "Norra Karelen"),
            ("central_finland", "Central Finland", "Keski-Suomi", "Mellersta Finland"),
            ("south_ostrobothnia", "South Ostrobothnia", "Etelä-Pohjanmaa", "Södra Österbotten"),
            ("ostrobothnia", "Ostrobothnia", "Pohjanmaa", "Österbotten"),
            ("central_ostrobothnia", "Central Ostrobothnia", "Keski-Pohjanmaa", "Mellersta Österbotten"),
            ("north_ostrobothnia", "North Ostrobothnia", "Pohjois-Pohjanmaa", "Norra Österbotten"),
            ("kainuu", "Kainuu", "Kainuu", "Kajanaland"),
            ("lapland", "Lapland", "Lappi", "Lappland"),
            ("aland", "Åland", "Ahvenanmaa", "Åland"),
            ("abroad", "Abroad", "Ulkomailla", "Utomlands"),
        ],
    ),
}


def create(apps, schema_editor):
    Typology = apps.get_model("taxonomy", "Typology")
    Category = apps.get_model("taxonomy", "Category")
    for kind, ((name, name_fi, name_sv), categories) in TYPOLOGIES.items():
        typology, _ = Typology.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "name": name,
                "name_fi": name_fi,
                "name_sv": name_sv,
                "valid_from": VALID_FROM,
                "is_current": True,
            },
        )
        for order, (code, label, label_fi, label_sv) in enumerate(categories, start=1):
            Category.objects.get_or_create(
                typology=typology,
                code=code,
                defaults={
                    "label": label,
                    "label_fi": label_fi,
                    "label_sv": label_sv,
                    "order": order * 10,
                },
            )


def remove(apps, schema_editor):
    Typology = apps.get_model("taxonomy", "Typology")
    Category = apps.get_model("taxonomy", "Category")
    Category.objects.filter(typology__version=1, typology__kind__in=TYPOLOGIES).delete()
    Typology.objects.filter(version=1, kind__in=TYPOLOGIES).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_typologies_and_categories")]

    operations = [migrations.RunPython(create, remove)]
