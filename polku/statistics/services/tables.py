"""Reading an uploaded capture-history table, with every problem told in plain language.

``polku.mse`` stops at the first problem and names it by ``code``, line and column. To
list every bad line at once, a bad line is blanked (keeping the line numbers) and the
table read again; problems of the header or of the table as a whole end the reading,
and those found only after lines were blanked are left for the next upload, since the
blanked lines may be their cause.
"""

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from polku.mse.histories import (
    MAX_LISTS,
    CaptureHistories,
    CaptureHistoryError,
    read_capture_histories,
)

# 15 lists make at most 32,767 histories; 2 MiB holds those with room to spare.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Past this many bad lines the file is probably not a capture-history table at all.
MAX_PROBLEMS = 50
ROW_CODES = frozenset(
    {
        "row_length",
        "not_binary",
        "count_not_number",
        "count_fractional",
        "count_negative",
        "all_zero_row",
        "duplicate_history",
    }
)


def problem_message(error: CaptureHistoryError) -> str:
    """The problem in the reader's language, saying where it is."""
    params = {"line": error.line, "column": error.column, "max": MAX_LISTS}
    messages = {
        "empty": _("The file is empty."),
        "count_column": _(
            "Line %(line)s: the header needs exactly one column named “count”. If your "
            "spreadsheet saved the file with semicolons, save it again as comma-separated "
            "values (CSV)."
        ),
        "too_few_lists": _(
            "Line %(line)s: the table needs at least two list columns besides “count”."
        ),
        "too_many_lists": _("Line %(line)s: the table can have at most %(max)s lists."),
        "unnamed_list": _("Line %(line)s: a list column in the header has no name."),
        "list_name": _(
            "Line %(line)s, column “%(column)s”: a list name may not contain a colon or a comma."
        ),
        "duplicate_list": _("Line %(line)s: the list “%(column)s” appears twice in the header."),
        "row_length": _("Line %(line)s does not have as many values as the header has columns."),
        "not_binary": _(
            "Line %(line)s, column “%(column)s”: write 1 if these people are on the list and "
            "0 if they are not."
        ),
        "count_not_number": _("Line %(line)s, column “count”: the count must be a number."),
        "count_fractional": _("Line %(line)s, column “count”: the count must be a whole number."),
        "count_negative": _("Line %(line)s, column “count”: the count cannot be negative."),
        "all_zero_row": _(
            "Line %(line)s is on no list. Leave it out: how many people are on no list is "
            "what the estimate finds."
        ),
        "duplicate_history": _(
            "Line %(line)s repeats the lists of an earlier line. Give each combination of "
            "lists once, with its total count."
        ),
        "no_rows": _("The table has a header but no lines of counts."),
        "no_one_observed": _("Every count is zero: no one was observed."),
        "empty_list": _(
            "No one is on the list “%(column)s”. Remove that column or check the counts."
        ),
    }
    message = messages.get(error.code)
    if message is None:
        if error.line is not None:
            return _("Line %(line)s cannot be used.") % params
        return _("The table cannot be used.")
    return message % params


def decode_upload(data: bytes) -> str:
    """The uploaded bytes as text: UTF-8 (with or without a byte-order mark), UTF-16 with a
    byte-order mark, or the Windows encoding older spreadsheets save in."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than 2 MB; a capture-history table is far smaller.")
        )
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("This looks like a spreadsheet workbook. Save the table as CSV and upload that.")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file is not text. Save the table from your spreadsheet as CSV UTF-8.")
    )


def read_table(text: str) -> CaptureHistories:
    """The validated table, or a ValidationError on ``table`` listing every problem found,
    in the order of the lines."""
    plain = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = plain.split("\n")
    found: dict[int, str] = {}
    whole: str | None = None
    while len(found) < MAX_PROBLEMS:
        try:
            histories = read_capture_histories("\n".join(lines))
        except csv.Error:
            whole = _("The file cannot be read as comma-separated values (CSV).")
            break
        except CaptureHistoryError as error:
            line = error.line
            if error.code not in ROW_CODES or line is None or not 1 <= line <= len(lines):
                if not found:
                    whole = problem_message(error)
                break
            if line in found:
                break
            found[line] = problem_message(error)
            lines[line - 1] = ""
            continue
        if not found:
            return histories
        break
    problems = [found[line] for line in sorted(found)]
    if whole is not None:
        problems.append(whole)
    if len(found) >= MAX_PROBLEMS:
        problems.append(
            _("Only the first %(count)s problems are listed.") % {"count": MAX_PROBLEMS}
        )
    raise ValidationError({"table": problems})


@dataclass(frozen=True)
class StoredTable:
    """A validated table as stored: canonical CSV, fingerprint and what may be shown of it."""

    csv_text: str
    digest: str
    lists: list[str]
    list_totals: list[int]
    n_histories: int
    n_observed: int


def stored_table(histories: CaptureHistories) -> StoredTable:
    """The table rewritten plainly (lists, then ``count``; rows as uploaded).

    The fingerprint is taken over the rows in a fixed order, so the same table uploaded
    with its lines in another order is recognised as the same.
    """
    rows = [
        [*(int(value) for value in row), int(count)]
        for row, count in zip(histories.histories.tolist(), histories.counts.tolist(), strict=True)
    ]
    header = [*histories.lists, "count"]
    ordered = sorted(rows, key=lambda row: (sum(row[:-1]), row[:-1]))
    fingerprint = hashlib.sha256(_csv([header, *ordered]).encode()).hexdigest()
    totals = (histories.counts @ histories.histories).tolist()
    return StoredTable(
        csv_text=_csv([header, *rows]),
        digest=fingerprint,
        lists=list(histories.lists),
        list_totals=[int(total) for total in totals],
        n_histories=len(rows),
        n_observed=histories.n_observed,
    )


def _csv(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


EXAMPLE_TABLE = (
    "Police,NGO,Labour inspection,count\n"
    "1,0,0,120\n"
    "0,1,0,85\n"
    "0,0,1,40\n"
    "1,1,0,22\n"
    "1,0,1,9\n"
    "0,1,1,6\n"
    "1,1,1,3\n"
)
