from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = Path(os.environ.get("VALUECHAIN_SHARED", ROOT.parent / "shared"))
REAL = SHARED / "acceptance" / "real"
SAMPLES = sorted(p.name for p in DATA.iterdir() if (p / "handoffs.csv").exists())

settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def frame(rows: list[tuple], columns: str) -> pd.DataFrame:
    """A DataFrame from tuples and a comma-separated header."""
    return pd.DataFrame(rows, columns=columns.split(","))


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) to a file in a temporary folder and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding, newline="")
        return path

    return _write
