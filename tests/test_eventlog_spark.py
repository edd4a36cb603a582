"""Event logs on Spark: ``vc.from_log(spark_dataframe)`` runs the rule's SQL in Spark, local mode, on tiny logs.

Slow (a JVM starts): run by ``make test-slow``. Java comes from Debian's ``default-jre-headless``, installed here
when missing as tests/conftest.py installs chromium; skipped with the reason where it cannot be (a failure under
CI=true), and where pyspark is not installed (``pip install -e .[dev]``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import valuechain as vc
from tests.conftest import DATA
from valuechain.vocabulary import WAITS

pytestmark = pytest.mark.slow
EVENTS = DATA / "order-to-delivery" / "events.csv"


def install_java() -> str | None:
    """Install Debian's default-jre-headless when there is no java; the reason it is missing, else None."""
    import fcntl

    if shutil.which("java"):
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "Java is not installed and this machine cannot install it (no apt-get or not root)"
    with open("/tmp/valuechain-java.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shutil.which("java"):
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            for command in (["apt-get", "update"], ["apt-get", "install", "-y", "default-jre-headless"]):
                done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
                if done.returncode != 0:
                    return f"'{' '.join(command)}' failed: {done.stderr.strip()[-300:]}"
    return None if shutil.which("java") else "apt-get install default-jre-headless did not provide java"


@pytest.fixture(scope="module")
def spark():
    """A local Spark session (one core, no UI), its Python workers this interpreter."""
    reason = install_java()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs Java for Spark: {reason}")
        pytest.skip(reason)
    sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed (pip install -e .[dev])")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        sql.SparkSession.builder.master("local[1]")
        .appName("valuechain-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_gives_the_hand_offs_duckdb_gives_with_approximate_waits_said(spark):
    log = pd.read_csv(EVENTS, dtype=str)
    on_spark = vc.from_log(spark.createDataFrame(log), outcomes=["deliver order"])
    local = vc.from_log(EVENTS, outcomes=["deliver order"])
    keys = ["source", "target", "deliverable", "cases", "handovers"]
    pd.testing.assert_frame_equal(on_spark.handoffs[keys], local.handoffs[keys])
    assert on_spark.log.waits == "approximate_spark" and on_spark.log.engine == "spark"
    # percentile_approx gives a wait of the log (no interpolation): within the range of the exact neighbours
    both = on_spark.handoffs.merge(local.handoffs, on=["source", "target", "deliverable"])
    timed = both["median_wait_hours_y"].notna()
    assert (abs(both["median_wait_hours_x"] - both["median_wait_hours_y"])[timed] < 6).all()
    pd.testing.assert_frame_equal(on_spark.log.stuck, local.log.stuck, check_dtype=False)
    pd.testing.assert_frame_equal(on_spark.log.ping_pong, local.log.ping_pong, check_dtype=False)
    assert (on_spark.log.cases, on_spark.log.events) == (local.log.cases, local.log.events)
    from valuechain.text import render_log

    assert WAITS["approximate_spark"] in render_log(on_spark.log)


def test_spark_ties_go_by_activity_then_team_and_ids_are_cleaned(spark):
    log = pd.DataFrame(
        {"case": ["1", "1", "1"], "activity": ["c", "a", "b"], "team": ["C", " Caf\u0065\u0301 ", "B"],
         "timestamp": ["2026-01-01T10:00:00Z"] * 3}
    )  # fmt: skip
    chain = vc.from_log(spark.createDataFrame(log))
    assert set(zip(chain.handoffs["source"], chain.handoffs["target"])) == {
        ("Caf\u00e9", "B"), ("B", "C"), ("C", "customer")
    }  # fmt: skip


def test_spark_problems_are_one_clear_error_with_examples(spark):
    log = pd.DataFrame(
        {"case": ["1", "1"], "activity": ["a", "b"], "team": ["A", "B"], "timestamp": ["yesterday", "2500-01-01"]}
    )
    with pytest.raises(vc.InputError) as err:
        vc.from_log(spark.createDataFrame(log))
    messages = [p.message for p in err.value.problems]
    assert messages == ["1 events have no time or one that cannot be read ('yesterday')"] or any(
        "cannot be read ('yesterday')" in m for m in messages
    ), messages
    with pytest.raises(vc.InputError, match="'Sue' is not in the team map"):
        vc.from_log(
            spark.createDataFrame(log.assign(timestamp=["2026-01-01", "2026-01-02"], team=["Pete", "Sue"])),
            team_map={"Pete": "Intake"},
        )
    mapped = vc.from_log(
        spark.createDataFrame(log.assign(timestamp=["2026-01-01", "2026-01-02"], team=["Pete", "Sue"])),
        team_map={"Pete": "Intake", "Sue": "Payments"},
    )
    assert set(mapped.handoffs["source"]) == {"Intake", "Payments"}
