"""Start the dashboard on a loopback port for browser tests and the dashboard benchmark."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(str):
    """The dashboard's URL, with its ``process`` (for memory readings) and its ``log`` (what it printed)."""

    process: subprocess.Popen
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        """The end of what the server printed (for failure messages)."""
        return self.log.read_text(errors="replace")[-chars:]


def resident_mb(pid: int) -> float:
    """The resident memory of a process in MB (Linux), 0 where it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextlib.contextmanager
def serve(app: Path = ROOT / "app.py", timeout: float = 90, log_level: str = "info") -> Iterator[Server]:
    """Run ``streamlit run app`` on 127.0.0.1 and yield its URL (a str with the ``process``); stop it afterwards.

    The server's output goes to a file (``url.log``), never to an unread pipe: a pipe that fills up would
    block the server the moment it logs more than 64 KB.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", "--logger.level", log_level,
    ]  # fmt: skip
    fd, name = tempfile.mkstemp(prefix=f"streamlit-{port}-", suffix=".log")
    log = Path(name)
    with os.fdopen(fd, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = Server(f"http://127.0.0.1:{port}")
    url.process, url.log = process, log
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard did not start on {url}:\n{url.log_tail(2000)}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


def wait_for_run(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script (no status widget, nothing stale)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
               && document.querySelectorAll('[data-stale="true"]').length === 0""",
        timeout=timeout,
    )


def upload_parties_first(page, url: str, parties: Path) -> None:
    """Open the dashboard, switch to uploading files, give the parties file and wait for its run.

    The analysis starts once the hand-offs file is given too: the benchmarks start their clock there.
    """
    page.goto(url)
    page.get_by_text("Teams with line of sight").first.wait_for(timeout=60_000)
    wait_for_run(page)
    page.get_by_text("Upload files").click()
    wait_for_run(page)
    page.locator('input[type="file"]').nth(1).set_input_files(str(parties))
    wait_for_run(page)
