"""The ``polku`` command for statisticians: tools that work on files, without a server.

polku mse estimate|check TABLE.csv ...     population estimates (Multiple Systems Estimation)
polku stats protect TABLE.csv ...          disclosure control of a frequency table
"""

import sys
from collections.abc import Sequence

USAGE = """usage: polku {mse,stats} ...

  mse     estimate a hidden population from overlapping lists (polku mse --help)
  stats   protect a frequency table before it is published (polku stats --help)
"""


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in {"-h", "--help"}:
        print(USAGE, end="")
        return 0 if arguments else 2
    command, rest = arguments[0], arguments[1:]
    if command == "mse":
        from polku.mse.cli import main as mse_main

        return mse_main(rest)
    if command == "stats":
        from polku.statistics.disclosure.cli import main as stats_main

        return stats_main(rest)
    print(f"polku: unknown command {command!r}\n\n{USAGE}", end="", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
