"""The Streamlit upload race (valuechain.dashboard.patches): the loss without the fix, none with it."""

from __future__ import annotations

import logging

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from valuechain.dashboard.patches import RESCUED, keep_file_upload_answers


def message(kind: str) -> ForwardMsg:
    msg = ForwardMsg()
    if kind == "file_urls_response":
        msg.file_urls_response.response_id = "request-1"
        msg.file_urls_response.file_urls.add(file_id="f1", upload_url="/up/f1", delete_url="/up/f1")
    elif kind == "new_session":
        msg.new_session.name = "app"
    elif kind == "delta":
        msg.metadata.delta_path[:] = [0, 0]
        msg.delta.new_element.markdown.body = "hello"
    return msg


def queue_with_an_unsent_answer() -> ForwardMsgQueue:
    """What the queue holds when a run starts just after an upload-address request was answered."""
    queue = ForwardMsgQueue()
    for kind in ("new_session", "delta", "file_urls_response"):
        queue.enqueue(message(kind))
    return queue


def kinds(queue: ForwardMsgQueue) -> list[str]:
    return [m.WhichOneof("type") for m in queue.flush()]


def unpatched_clear():
    clear = ForwardMsgQueue.clear
    return getattr(clear, "__wrapped__", clear)


def test_streamlit_alone_drops_the_answer_when_a_run_starts():
    queue = queue_with_an_unsent_answer()
    unpatched_clear()(queue, retain_lifecycle_msgs=True)
    if "file_urls_response" in kinds(queue):
        pytest.skip("this Streamlit keeps upload answers itself: valuechain.dashboard.patches can be removed")


def test_with_the_fix_the_answer_survives_and_the_rest_is_cleared_as_before():
    assert keep_file_upload_answers()
    assert keep_file_upload_answers()  # idempotent: wrapped once
    assert not hasattr(ForwardMsgQueue.clear.__wrapped__, "__wrapped__")
    said = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())
    logging.getLogger("valuechain.dashboard.patches").addHandler(handler)
    try:
        queue = queue_with_an_unsent_answer()
        queue.clear(retain_lifecycle_msgs=True)  # what AppSession does when a run starts
    finally:
        logging.getLogger("valuechain.dashboard.patches").removeHandler(handler)
    assert kinds(queue) == ["new_session", "file_urls_response"]
    assert said == [RESCUED]  # in the server's output, where the load test counts it
    kept = queue_with_an_unsent_answer()
    kept.clear(retain_lifecycle_msgs=True)
    assert kept.flush()[1].file_urls_response.file_urls[0].upload_url == "/up/f1"  # the answer itself, whole


def test_a_plain_clear_and_a_flush_still_empty_the_queue():
    keep_file_upload_answers()
    queue = queue_with_an_unsent_answer()
    queue.clear()
    assert len(queue) == 0
    queue = queue_with_an_unsent_answer()
    assert len(queue.flush()) == 3
    assert len(queue) == 0


def test_the_dashboard_applies_the_fix(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setattr(ForwardMsgQueue, "clear", unpatched_clear())
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert getattr(ForwardMsgQueue.clear, "_keeps_upload_answers", False)
