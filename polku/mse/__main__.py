"""``python -m polku.mse estimate|check ...``"""

import sys

from polku.mse.cli import main

# The guard matters: bootstrap worker processes re-import the main module.
if __name__ == "__main__":
    sys.exit(main())
