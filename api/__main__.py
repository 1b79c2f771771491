"""``python -m api``: serve the API (see :mod:`api.serve`)."""

import sys

from api.serve import main

if __name__ == "__main__":
    sys.exit(main())
