"""``python -m drift``: see :mod:`drift.cli`."""

import sys

from .cli import main

sys.exit(main())
