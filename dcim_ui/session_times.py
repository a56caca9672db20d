"""How long a sign-in lasts, set by the administrator on the people page (as ``dcim session``).

The form takes whole minutes and leaves the checking to
:func:`dcim.sessions.set_session_policy`, so the app refuses what the command
line refuses, with the same words, and the change is audited the same way.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dcim.db import read_session, write_session
from dcim.i18n import t
from dcim.sessions import MAX_MINUTES, MIN_MINUTES, session_policy, set_session_policy
from dcim_ui import auth
from dcim_ui.context import current
from dcim_ui.feedback import refusals


def _minutes(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 60)


def session_times_form() -> None:
    """The lifetime and idle timeout of app sessions, with the values in force."""
    ctx = current()
    with read_session(ctx.engine) as session:
        policy = session_policy(session)
    with st.form("session_times", border=True):
        st.markdown(f"#### {t('sessions.form_title', ctx.lang)}")
        st.caption(t("sessions.form_hint", ctx.lang, min=MIN_MINUTES, max=MAX_MINUTES))
        # No bounds on the inputs: an out-of-range number is answered with the rule, not clamped.
        lifetime = st.number_input(
            t("sessions.lifetime_label", ctx.lang),
            key="session_lifetime",
            value=_minutes(policy.lifetime),
            step=1,
        )
        idle = st.number_input(
            t("sessions.idle_label", ctx.lang),
            key="session_idle",
            value=_minutes(policy.idle),
            step=1,
        )
        if not st.form_submit_button(t("sessions.save", ctx.lang), icon=":material/timer:"):
            return
    with refusals() as outcome, write_session(ctx.engine) as session:
        saved = set_session_policy(
            session,
            auth.actor(session),
            lifetime_minutes=int(lifetime),
            idle_minutes=int(idle),
            lang=ctx.lang,
        )
    if not outcome.refused:
        st.success(
            t(
                "sessions.policy",
                ctx.lang,
                lifetime=_minutes(saved.lifetime),
                idle=_minutes(saved.idle),
            )
        )
