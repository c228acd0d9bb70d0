"""What the estimator's codes mean, in the reader's language.

``polku.mse`` speaks English with stable codes; these are the product's words for them.
``CAVEATS`` says what ``polku.mse.estimate.CAVEATS`` says, item for item.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

if TYPE_CHECKING:
    from polku.statistics.models import ReportingAssignment

CAVEATS: tuple[Promise, ...] = (
    gettext_lazy(
        "The lists must be linked and de-duplicated: one person appearing twice on a list, "
        "or under different identities on two lists, biases the estimate."
    ),
    gettext_lazy(
        "The estimate depends on the model; compare methods before relying on one figure."
    ),
    gettext_lazy(
        "Intervals from Wald and profile likelihood are conditional on the selected model; "
        "only the bootstrap (BCa) accounts for the model selection."
    ),
    gettext_lazy("The capture-history table is small-cell data and is not for publication."),
)


def check_meaning(code: int | None) -> str:
    """The existence and identifiability check's verdict (codes as in SparseMSE)."""
    meanings = {
        0: _("The estimate exists and is identifiable."),
        1: _(
            "The maximum likelihood estimate does not exist: the lists' overlaps do not pin "
            "down the number of people on no list, so it is not finite."
        ),
        2: _("The model is not identifiable from these lists."),
        3: _("The estimate does not exist and the model is not identifiable."),
    }
    if code is None:
        return ""
    return meanings.get(code, _("The check gave an unknown answer."))


def warning_text(warning: dict[str, Any]) -> str:
    """A stored warning, in words."""
    code = warning.get("code")
    if code == "not_converged":
        return _("The Poisson fit did not reach its convergence tolerance.")
    if code == "bootstrap_failed":
        return _(
            "%(failed)s bootstrap replicates had no estimate and were left out of the interval."
        ) % {"failed": warning.get("failed", "?")}
    if code == "no_bca_interval":
        return _(
            "The bootstrap gave no interval: the replicates all fall on one side of the "
            "estimate, or the jackknife gave no estimates."
        )
    if code == "interval_unbounded":
        return _("The interval has no finite limit on one side; it is shown as unbounded.")
    return str(warning.get("text", ""))


def error_text(code: str) -> str:
    """Why a run failed, without anything internal."""
    messages = {
        "options": _("The options cannot be used with this table."),
        "table": _("The stored table could not be read."),
        "not_queued": _("The estimate could not be queued. Try running it again."),
    }
    return messages.get(
        code,
        _(
            "The estimate could not be computed because of an error in Polku. The error has "
            "been logged; try again, or try another method."
        ),
    )


def step_kind(kind: str) -> str:
    return _("AIC") if kind == "aic" else _("Poisson p-value")


def overlap_label(names: list[str]) -> str:
    """An interaction of lists in words, e.g. "LA and NG" or "LA, NG and GO"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(lists)s and %(last)s") % {"lists": ", ".join(names[:-1]), "last": names[-1]}


def years_label(from_year: int, to_year: int | None) -> str:
    """A span of years joined by an en dash, a single year, or "from 2021" while it goes on."""
    if to_year is None:
        return _("from %(year)s") % {"year": from_year}
    if to_year == from_year:
        return str(from_year)
    return f"{from_year}\u2013{to_year}"


def years_phrase(from_year: int, to_year: int | None) -> str:
    """The years of an assignment as a phrase that follows a verb ("in ...", "from ...")."""
    if to_year is None:
        return _("from %(year)s") % {"year": from_year}
    return _("in %(years)s") % {"years": years_label(from_year, to_year)}


def national_source_taken_sentence(other: "ReportingAssignment") -> str:
    """Why an organisation cannot become an indicator's national source while ``other``, a
    ``ReportingAssignment``, is its national source in some of the same years."""
    return _(
        "%(organisation)s is already the national source of this indicator "
        "%(years)s. An indicator has one national source in a year, whose "
        "count is the national figure: stop that designation or end its "
        "assignment first."
    ) % {
        "organisation": other.organisation.display_name,
        "years": years_phrase(other.from_year, other.to_year),
    }


def years_list_label(years: Iterable[int]) -> str:
    """Years in words, separated by commas, consecutive ones as one span."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(years_label(first, last) for first, last in runs)


def awaited_source_sentence(organisation_name: str) -> str:
    """Said wherever an indicator's national figure for a year waits for its national
    source's accepted return. Plain text: a template escapes it as it prints it."""
    return _(
        "Awaiting the accepted return of %(organisation)s, the national source for this "
        "indicator; no national figure is shown until it is accepted."
    ) % {"organisation": organisation_name}


def national_figure_change_sentence(indicator_name: str, years: Iterable[int]) -> str:
    """What a change to who is an indicator's national source does to figures already
    accepted; empty where no year with accepted figures is affected."""
    affected = sorted(set(years))
    if not affected:
        return ""
    return ngettext(
        "This changes the national figure of %(indicator)s for %(years)s, a year with "
        "accepted returns.",
        "This changes the national figure of %(indicator)s for %(years)s, years with "
        "accepted returns.",
        len(affected),
    ) % {"indicator": indicator_name, "years": years_list_label(affected)}
