"""The dashboard, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, SAMPLES

APP = str(ROOT / "app.py")


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_opens_on_the_midsize_sample():
    at = start()
    assert not at.exception
    assert at.selectbox(key="sample").value == "midsize"
    assert metric(at, "Teams with line of sight") == "53 of 75"
    assert metric(at, "Orphaned teams") == "22"
    assert metric(at, "Single points of failure") == "22"
    orphans = at.dataframe[0].value
    assert len(orphans) == 22 and set(orphans.columns) >= {"id", "reason", "why"}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_renders(name):
    at = start()
    at.selectbox(key="sample").select(name).run()
    assert not at.exception
    assert not at.error


def test_upload_mode_waits_for_a_file():
    at = start()
    at.radio(key="source").set_value("Upload files").run()
    assert not at.exception
    assert "Upload a hand-offs file" in at.info[0].value
