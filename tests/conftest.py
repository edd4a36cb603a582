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

# ci: the main suite in CI (kept under ten minutes on two cores); thorough: every property again, with six times
# the examples (the fuzz tests five times theirs), in make test-slow; dev: a quick run on a laptop
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


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


# --- the browser: Debian's chromium, for Playwright and kaleido ---------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = ROOT / "tests" / "output"  # screenshots and images for a person to look at (not committed)


def install_chromium() -> str | None:
    """Install Debian's chromium when missing and this machine allows it; the reason it is missing, else None.

    Runs once across pytest-xdist workers (a lock file serialises them).
    """
    import fcntl
    import shutil
    import subprocess

    if CHROMIUM.exists():
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "Debian's chromium is not installed and this machine cannot install it (no apt-get or not root)"
    with open("/tmp/valuechain-chromium.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not CHROMIUM.exists():
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
                done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
                if done.returncode != 0:
                    return f"'{' '.join(command)}' failed: {done.stderr.strip()[-300:]}"
    return None if CHROMIUM.exists() else "apt-get install chromium did not provide /usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The path of Debian's chromium; skips with the reason where there is none (fails under CI=true)."""
    reason = install_chromium()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs a browser: {reason}")
        pytest.skip(reason)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    """A headless Chromium driven by Playwright, shared by the session's browser tests."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS, headless=True)
        yield launched
        launched.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every hypothesis test ``property``: ``make test-slow`` runs them all again with the thorough profile."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
