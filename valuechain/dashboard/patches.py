"""A fix for a Streamlit race that loses uploaded files; the dashboard applies it at start.

When a script run starts, Streamlit clears the messages it has not yet sent
to the browser, keeping only the run's lifecycle messages. The answer to a
file uploader's request for upload addresses (``file_urls_response``) is not
one of them, so a file chosen just before a run starts (say, the hand-offs
file picked while the parties file's upload triggers a run) is never
uploaded: the browser waits for the answer for ever and the uploader stays
empty, with no message. On a busy server the window is wide: in our load
test (ten sessions at once on two cores) one session in ten lost its file
in two runs out of three.

:func:`keep_file_upload_answers` makes that clearing keep those answers.
It is small, idempotent and checks that Streamlit still has the method it
wraps; ``tests/test_streamlit_patches.py`` shows the loss without it and
its absence with it, so an upgrade that fixes or moves the code is noticed.
"""

from __future__ import annotations

import functools
import logging

KEPT = "file_urls_response"
RESCUED = "kept an upload-address answer that a starting run would have dropped"


def keep_file_upload_answers() -> bool:
    """Make Streamlit keep unsent upload-address answers when a run starts.

    Returns
    -------
    bool
        True when the fix is in place (now or from an earlier call), False when
        this Streamlit has no ``ForwardMsgQueue.clear`` to wrap (nothing changed).

    Examples
    --------
    >>> from valuechain.dashboard.patches import keep_file_upload_answers
    >>> keep_file_upload_answers()
    True
    """
    try:
        from streamlit.logger import get_logger
        from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
    except ImportError:  # a Streamlit that moved its queue: leave it alone
        return False
    log: logging.Logger = get_logger(__name__)  # Streamlit's handler and level: the server's output
    clear = getattr(ForwardMsgQueue, "clear", None)
    if clear is None:
        return False
    if getattr(clear, "_keeps_upload_answers", False):
        return True

    @functools.wraps(clear)
    def clear_keeping_upload_answers(self, retain_lifecycle_msgs: bool = False, *args, **kwargs):
        queue = getattr(self, "_queue", None)
        answers = [m for m in queue or [] if m.WhichOneof("type") == KEPT] if retain_lifecycle_msgs else []
        clear(self, retain_lifecycle_msgs, *args, **kwargs)
        for answer in answers:
            if answer not in self._queue:
                self.enqueue(answer)
                log.info(RESCUED)

    clear_keeping_upload_answers._keeps_upload_answers = True  # type: ignore[attr-defined]  # the mark checked above
    ForwardMsgQueue.clear = clear_keeping_upload_answers  # type: ignore[method-assign]  # the patch itself
    return True
