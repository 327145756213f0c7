"""Puts the committed Python client on sys.path: the tests import it as generated,
without installing it."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "clients/python"))
