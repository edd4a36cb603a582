"""PDF by printing the HTML report in headless Chromium (the browser kaleido uses for images too).

No PDF library from the registries lays out HTML with Plotly figures as a
browser does; Chromium's own print is the faithful one. Debian: ``apt-get
install chromium``; elsewhere set ``BROWSER_PATH`` to a Chrome or Chromium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from valuechain.exceptions import ToolFailed, ToolMissing

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> str | None:
    """The browser to print with: ``BROWSER_PATH``, else the first Chromium or Chrome on the ``PATH``."""
    given = os.environ.get("BROWSER_PATH")
    if given and Path(given).exists():
        return given
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def html_to_pdf(html: str, path: str | Path, timeout: float = 120) -> Path:
    """Print ``html`` to the PDF file ``path`` (the page's own print styles apply; A4 or Letter by locale)."""
    browser = find_chromium()
    if browser is None:
        raise ToolMissing(
            "writing a PDF needs Chromium or Chrome: on Debian 'apt-get install chromium', elsewhere set "
            "BROWSER_PATH; or write .html and print it from a browser"
        )
    path = Path(path).resolve()
    flags = ["--no-pdf-header-footer", f"--print-to-pdf={path}"]
    return run_headless(browser, html, path, flags, "Chromium could not print the report", timeout)


def run_headless(browser: str, html: str, path: Path, flags: list[str], failure: str, timeout: float) -> Path:
    """Open ``html`` in a headless ``browser`` with ``flags`` (which write ``path``); ``failure`` starts the
    :class:`~valuechain.exceptions.ToolFailed` message when nothing is written."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(html, encoding="utf-8")
        command = [
            browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic", "--virtual-time-budget=20000",
            f"--user-data-dir={folder}/profile", *flags,
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        done = subprocess.run([*command, page.as_uri()], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not path.exists():
        raise ToolFailed(f"{failure}: {done.stderr.strip()[-500:]}")
    return path
