"""Choices for indicators and returns: units, dimensions, their fixed categories, statuses.

The categories of sex, age and citizenship are fixed here; forms of exploitation come from
the current version of the shared taxonomy typology, and the registering organisation is
the organisation a return belongs to.
"""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    PERSONS = "persons", _("persons")
    CASES = "cases", _("cases")
    DECISIONS = "decisions", _("decisions")


class Dimension(models.TextChoices):
    """What a figure is broken down by; the empty string marks a total."""

    SEX = "sex", _("Sex")
    AGE_GROUP = "age_group", _("Age group")
    AGE_BAND = "age_band", _("Age band")
    CITIZENSHIP = "citizenship", _("Citizenship")
    COUNTRY = "country", _("Country of citizenship")
    EXPLOITATION_FORM = "exploitation_form", _("Form of exploitation")


# Breakdowns a provider may leave out even when the indicator has them: the finer age bands
# and the countries are given where the organisation records them.
OPTIONAL_DIMENSIONS = frozenset({Dimension.AGE_BAND, Dimension.COUNTRY})

# The order breakdowns are shown and written in.
DIMENSION_ORDER = [
    Dimension.SEX,
    Dimension.AGE_GROUP,
    Dimension.AGE_BAND,
    Dimension.CITIZENSHIP,
    Dimension.COUNTRY,
    Dimension.EXPLOITATION_FORM,
]

UNKNOWN = "unknown"

SEX_CATEGORIES: dict[str, Promise] = {
    "female": _("Female"),
    "male": _("Male"),
    UNKNOWN: _("Sex not known"),
}
AGE_GROUP_CATEGORIES: dict[str, Promise] = {
    "child": _("Child (under 18)"),
    "adult": _("Adult (18 or over)"),
    UNKNOWN: _("Age not known"),
}
CHILD = "child"
AGE_BAND_CATEGORIES: dict[str, Promise] = {
    "0_11": _("0 to 11 years"),
    "12_17": _("12 to 17 years"),
    "18_24": _("18 to 24 years"),
    "25_34": _("25 to 34 years"),
    "35_44": _("35 to 44 years"),
    "45_54": _("45 to 54 years"),
    "55_plus": _("55 years or over"),
    UNKNOWN: _("Age not known"),
}
# The age bands that are children, for the rule that children never exceed the total.
CHILD_AGE_BANDS = frozenset({"0_11", "12_17"})
CITIZENSHIP_CATEGORIES: dict[str, Promise] = {
    "national": _("Nationals"),
    "other_eu": _("Citizens of other EU countries"),
    "non_eu": _("Citizens of non-EU countries"),
    UNKNOWN: _("Citizenship not known"),
}

FIXED_CATEGORIES: dict[str, dict[str, Promise]] = {
    Dimension.SEX: SEX_CATEGORIES,
    Dimension.AGE_GROUP: AGE_GROUP_CATEGORIES,
    Dimension.AGE_BAND: AGE_BAND_CATEGORIES,
    Dimension.CITIZENSHIP: CITIZENSHIP_CATEGORIES,
}

# ISO 3166-1 alpha-2 codes accepted in the country breakdown, besides "unknown".
COUNTRY_CODES = frozenset(
    [
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CW",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PR",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "SS",
        "ST",
        "SV",
        "SX",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "XK",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW",
    ]
)


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with comments")


# Statuses in which the organisation's data provider may change the figures.
EDITABLE_STATUSES = frozenset({ReturnStatus.DRAFT, ReturnStatus.RETURNED})
# Statuses the coordination sees: the organisation has let the return go.
SENT_STATUSES = frozenset({ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED, ReturnStatus.ACCEPTED})
# Statuses from which the organisation may reopen a return as a new revision, with a reason.
REVISABLE_STATUSES = frozenset(
    {ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED, ReturnStatus.ACCEPTED}
)


class ReturnEventKind(models.TextChoices):
    CREATED = "created", _("Started")
    SAVED = "saved", _("Figures saved in the form")
    UPLOADED = "uploaded", _("Figures uploaded as CSV")
    SENT_BY_API = "sent_by_api", _("Figures sent through the API")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with comments")
    REVISED = "revised", _("Reopened for revision")


class FigureSource(models.TextChoices):
    FORM = "form", _("form")
    UPLOAD = "upload", _("CSV upload")
    API = "api", _("API")
