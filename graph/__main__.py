"""``python -m graph`` is ``tkg``."""

import sys

from graph.cli import main

sys.exit(main())
