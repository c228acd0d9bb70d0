"""Command line: ``protect`` a frequency table before it leaves the secretariat.

    polku stats protect TABLE.csv [--threshold 10]

Reads a CSV with one column per dimension and a ``count`` column (one row per cell of the
full cross-classification; ``-`` reads standard input) and writes CSV to standard output:
every cell and every marginal total (``Total``), the count (empty when suppressed) and the
status (``published``, ``primary``, ``secondary``). The number and sum of the suppressed
cells go to standard error. :func:`main` takes the arguments after ``stats``.
Exit status: 0 on success, 1 when no safe suppression was found (nothing is written),
2 for unusable input.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from typing import TextIO

from polku.statistics.disclosure.attack import AttackError
from polku.statistics.disclosure.protect import (
    DEFAULT_THRESHOLD,
    Protection,
    ProtectionError,
    protect,
)
from polku.statistics.disclosure.table import COUNT_COLUMN, TableError, read_frequency_table


def build_parser(prog: str = "polku stats") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Statistical disclosure control of frequency tables."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    protect_command = commands.add_parser(
        "protect",
        help="suppress small cells and enough others that none can be worked back",
        description=(
            "Suppress every cell (totals included) below the threshold, and enough other "
            "cells that no suppressed cell can be worked back from the published ones; "
            "print every cell and marginal total as CSV."
        ),
    )
    protect_command.add_argument(
        "table", help="CSV: one column per dimension and 'count' ('-' for standard input)"
    )
    protect_command.add_argument(
        "--threshold",
        type=int,
        default=DEFAULT_THRESHOLD,
        help=f"suppress counts below this (default {DEFAULT_THRESHOLD})",
    )
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    stdout = out or sys.stdout
    arguments = build_parser().parse_args(argv)
    if arguments.threshold < 1:
        print(
            f"error: the threshold must be at least 1, not {arguments.threshold}.", file=sys.stderr
        )
        return 2
    source = "standard input" if arguments.table == "-" else arguments.table
    try:
        if arguments.table == "-":
            text = sys.stdin.read()
        else:
            with open(arguments.table, encoding="utf-8-sig") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(f"error: cannot read {source}: {reason}", file=sys.stderr)
        return 2
    try:
        table = read_frequency_table(text)
    except TableError as error:
        print(f"error: {source}: {error}", file=sys.stderr)
        return 2
    try:
        protection = protect(table, threshold=arguments.threshold)
    except (ProtectionError, AttackError) as error:
        print(f"error: {source}: not protected, nothing written: {error}", file=sys.stderr)
        return 1
    write_csv(protection, stdout)
    print(protection.summary(), file=sys.stderr)
    return 0


def write_csv(protection: Protection, stream: TextIO) -> None:
    """Every margined cell as one CSV row: the dimensions, ``count`` and ``status``."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([*protection.table.table.dimensions, COUNT_COLUMN, "status"])
    for labels, count, status in protection.rows():
        writer.writerow([*labels, "" if count is None else count, status])
