"""After an action in the app: e-mail the people the request now waits for, off the page's thread.

The action is already committed when this runs; the mail server's answer (or
its silence, up to the send timeout) must not hold the page, so delivery runs
in a daemon thread. What it cannot send stays in the outbox for
``dcim notify run``.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)


def announce(engine: Engine) -> None:
    """Queue and send the notices of what just happened, in the background."""

    def work() -> None:
        from colocation.notifications import dispatch

        try:
            dispatch(engine, after_action=True)
        except Exception:  # a thread has nobody to report to: keep it in the server's log
            log.exception("e-mail notices after an action in the app")

    threading.Thread(target=work, name="dcim-notices", daemon=True).start()
