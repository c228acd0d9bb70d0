"""``python -m polku.statistics.disclosure protect ...``"""

import sys

from polku.statistics.disclosure.cli import main

if __name__ == "__main__":
    sys.exit(main())
