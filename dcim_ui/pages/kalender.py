"""Kalender: the office's local days off, and the SOP deadlines they move (Tim Data Center).

National holidays and cuti bersama come with the program; a day the
Kabupaten declares (its anniversary, a regional holiday) is added here, as
``dcim holidays add`` does. Adding or removing one moves the deadlines of
open requests it falls within (:mod:`colocation.holidays`), and the page
says which moved.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from colocation.holidays import CalendarChange, add_holiday, remove_holiday
from dcim.calendar_settings import local_holidays
from dcim.db import read_session, write_session
from dcim.i18n import t
from dcim.models import Role
from dcim_ui import auth, fmt, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import refusals
from dcim_ui.registry import PageSpec

PAGE = PageSpec(
    key="kalender",
    icon=":material/event_busy:",
    section="admin",
    order=30,
    roles=frozenset({Role.TIM_DC}),
)
#: The longest name the form takes (the column's width; the service checks it too).
MAX_NAME_CHARS = 200


def render() -> None:
    """Draw the page."""
    ctx = current()
    lang = ctx.lang
    style.page_header(tr("pages.kalender"), t("holidays.subtitle", lang))
    with read_session(ctx.engine) as session:
        days = [
            (h.day, h.name)
            for h in local_holidays(session)
            if h.day >= ctx.today.replace(month=1, day=1)
        ]
    if days:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("holidays.col_date", lang): fmt.day(day, "full"),
                        t("holidays.col_name", lang): name,
                    }
                    for day, name in days
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(t("holidays.list_empty", lang))
    left, right = st.columns(2, gap="large")
    with left, st.form("holiday_add", clear_on_submit=True):
        st.markdown(f"#### {t('holidays.add', lang)}")
        day = st.date_input(t("holidays.col_date", lang), value=ctx.today, format="DD/MM/YYYY")
        name = st.text_input(t("holidays.col_name", lang), max_chars=MAX_NAME_CHARS)
        if st.form_submit_button(t("holidays.add_button", lang), type="primary"):
            _change(lambda session: add_holiday(session, auth.actor(session), day, name))
    with right, st.form("holiday_remove"):
        st.markdown(f"#### {t('holidays.remove', lang)}")
        chosen = st.selectbox(
            t("holidays.col_date", lang),
            [d for d, _ in days],
            format_func=lambda d: fmt.day(d),
            key="holiday_remove_day",
        )
        if st.form_submit_button(t("holidays.remove_button", lang)) and chosen is not None:
            _change(lambda session: remove_holiday(session, auth.actor(session), chosen))


def _change(change: Callable[[Session], CalendarChange]) -> None:
    """Run the calendar change and say which deadlines moved with it."""
    ctx = current()
    labels = {"name": t("holidays.col_name", ctx.lang), "date": t("holidays.col_date", ctx.lang)}
    with refusals(labels=labels) as outcome, write_session(ctx.engine) as session:
        done = change(session)
    if outcome.refused:
        return
    st.success(t("holidays.saved", ctx.lang, date=fmt.day(done.day), name=done.name))
    if not done.moved:
        st.caption(t("holidays.none_moved", ctx.lang))
    # Request deadlines, then hold ends: each a code with its day before and after.
    for key, moved in (("holidays.moved", done.moved), ("holidays.hold_moved", done.holds)):
        for item in moved:
            st.warning(
                t(
                    key,
                    ctx.lang,
                    code=item.code,
                    before=fmt.day(item.before),
                    after=fmt.day(item.after),
                ),
                icon=":material/event_repeat:",
            )


if __name__ == "__main__":
    render()
