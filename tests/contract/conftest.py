"""Fixtures of the contract suite's own tests: real uvicorn servers on loopback, always stopped."""

from __future__ import annotations

import sys
from pathlib import Path

# The helper modules beside this file (the broken-server corpus, the server runner) are imported
# by name; --import-mode=importlib does not put test folders on sys.path by itself.
sys.path.insert(0, str(Path(__file__).parent))
