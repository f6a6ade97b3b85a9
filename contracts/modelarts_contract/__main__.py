"""``python -m modelarts_contract`` is the ``modelarts-contract`` command."""

import sys

from .cli import main

sys.exit(main())
