"""The look of the workflow pages: their stylesheet, the SOP's fifteen steps as a stepper, the timeline.

Everything put into HTML is escaped with :func:`ui.style.esc`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dcim_ui import style

# Colours of a request's state, shared by pills, the stepper and the timeline.
STATUS_COLOURS = {
    "open": style.BLUE,
    "done": style.GREEN,
    "rejected": style.RED,
    "withdrawn": style.GREY,
}

_CSS = """
<style>
.wf-steps { display:flex; align-items:center; margin:.4rem 0 .2rem 0; }
.wf-steps .wf-step { flex:0 0 auto; width:2rem; height:2rem; border-radius:50%; display:flex;
  align-items:center; justify-content:center; font-size:.8rem; font-weight:700;
  border:2px solid #c9d1dd; color:#8a93a3; background:#fff; }
.wf-steps .wf-line { flex:1 1 auto; height:2px; background:#d7dde6; min-width:.4rem; }
.wf-steps .wf-step.done { background:#1e8e5a; border-color:#1e8e5a; color:#fff; }
.wf-steps .wf-step.now { background:#2364aa; border-color:#2364aa; color:#fff;
  box-shadow:0 0 0 4px rgba(35,100,170,.18); }
.wf-steps .wf-step.late { background:#c8322f; border-color:#c8322f; color:#fff;
  box-shadow:0 0 0 4px rgba(200,50,47,.18); }
.wf-steps .wf-step.ended { background:#5b6677; border-color:#5b6677; color:#fff; }
.wf-steps .wf-step.skipped { border-style:dashed; color:#b7bfcc; }
.wf-steps .wf-line.done { background:#1e8e5a; }
/* On a phone fifteen circles do not fit one row: they wrap (step 11 onwards on a second row)
   instead of being cut off at the screen's edge. A line left at a row's end is not drawn. */
@media (max-width: 640px) {
  .wf-steps { flex-wrap:wrap; row-gap:.55rem; }
  .wf-steps .wf-line { flex:0 0 .55rem; min-width:.55rem; }
}
.wf-where { font-size:.92rem; color:#3b4656; margin:.35rem 0 .2rem 0; }
.wf-pills { display:flex; flex-wrap:wrap; gap:.35rem; align-items:center; margin:.15rem 0 .4rem 0; }
.wf-pills .meta { font-size:.85rem; color:#3b4656; }
.wf-card-head { font-weight:700; color:#123a6b; font-size:1rem; }
.wf-card-head small { font-weight:400; color:#5b6677; font-size:.85rem; }
.wf-card-body { font-size:.86rem; color:#3b4656; margin-top:.15rem; line-height:1.45; }
.wf-tl { position:relative; margin:.3rem 0 0 .4rem; border-left:2px solid #dde3ea; padding-left:1.1rem; }
.wf-tl-item { position:relative; padding:0 0 .9rem 0; }
.wf-tl-item .dot { position:absolute; left:-1.62rem; top:.2rem; width:.9rem; height:.9rem;
  border-radius:50%; border:2px solid #fff; box-shadow:0 0 0 1px #c9d1dd; }
.wf-tl-item .head { font-size:.93rem; color:#1f2a3a; }
.wf-tl-item .head b { color:#123a6b; }
.wf-tl-item .meta { font-size:.82rem; color:#5b6677; margin-top:.1rem; }
.wf-tl-item .note { font-size:.84rem; color:#3b4656; margin-top:.2rem; font-style:italic;
  border-left:3px solid #e3e7ee; padding-left:.5rem; }
.wf-tl-item.next .head, .wf-tl-item.next .head b, .wf-tl-item.next .meta { color:#8a93a3; }
.wf-dl { display:grid; grid-template-columns:minmax(8rem, 12rem) 1fr; gap:.25rem .9rem;
  font-size:.9rem; margin:.2rem 0 .6rem 0; }
.wf-dl dt { color:#5b6677; }
.wf-dl dd { margin:0; color:#1f2a3a; }
.wf-count { border:1px solid #e3e7ee; border-radius:10px; padding:.6rem .9rem; background:#fff; }
.wf-count .label { font-size:.76rem; text-transform:uppercase; letter-spacing:.05em; color:#5b6677;
  font-weight:600; }
.wf-count .value { font-size:1.6rem; font-weight:700; line-height:1.2; }
</style>
"""


def inject() -> None:
    """Add the workflow pages' stylesheet."""
    st.html(_CSS)


@dataclass(frozen=True)
class StepMark:
    """One step of the stepper: its number, how it is drawn (done, now, late, ended, skipped, ahead), and its title."""

    step: int
    kind: str
    title: str


def stepper(marks: Sequence[StepMark]) -> str:
    """The SOP's steps as numbered circles joined by lines, coloured by how far the request came."""
    parts: list[str] = []
    for i, mark in enumerate(marks):
        if i:
            line = "done" if mark.kind in ("done", "now", "late", "ended") else ""
            parts.append(f'<div class="wf-line {line}"></div>')
        parts.append(
            f'<div class="wf-step {mark.kind}" title="{style.esc(mark.title)}">{mark.step}</div>'
        )
    return f'<div class="wf-steps">{"".join(parts)}</div>'


def pills(items: Sequence[tuple[str, str]], meta: str = "") -> str:
    """A row of coloured labels, with a line of plain text after them."""
    shown = "".join(style.pill(text, colour) for text, colour in items)
    tail = f'<span class="meta">{style.esc(meta)}</span>' if meta else ""
    return f'<div class="wf-pills">{shown}{tail}</div>'


@dataclass(frozen=True)
class TimelineItem:
    """One line of the timeline: a heading, the dates and who acted, a note, and its colour."""

    head: str
    title: str
    meta: str
    note: str | None
    colour: str
    upcoming: bool = False


def timeline(items: Sequence[TimelineItem]) -> str:
    """The request's way through the SOP as a vertical timeline."""
    rows = []
    for item in items:
        note = f'<div class="note">{style.esc(item.note)}</div>' if item.note else ""
        rows.append(
            f'<div class="wf-tl-item{" next" if item.upcoming else ""}">'
            f'<span class="dot" style="background:{item.colour}"></span>'
            f'<div class="head"><b>{style.esc(item.head)}</b> · {style.esc(item.title)}</div>'
            f'<div class="meta">{style.esc(item.meta)}</div>{note}</div>'
        )
    return f'<div class="wf-tl">{"".join(rows)}</div>'


def definition_list(rows: Sequence[tuple[str, str]]) -> str:
    """Labels and values in two aligned columns."""
    cells = "".join(f"<dt>{style.esc(k)}</dt><dd>{style.esc(v)}</dd>" for k, v in rows)
    return f'<dl class="wf-dl">{cells}</dl>'


def count_box(label: str, value: str, colour: str) -> str:
    """A small box with a label and a large number."""
    return (
        f'<div class="wf-count"><div class="label">{style.esc(label)}</div>'
        f'<div class="value" style="color:{colour}">{style.esc(value)}</div></div>'
    )
