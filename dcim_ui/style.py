"""The look of the app: colours, the stylesheet, and small HTML pieces (tiles, bars, badges).

Loads are coloured by the office's thresholds (:mod:`dcim.thresholds`; 60 %
and 80 % unless the administrator set others): green below the warning
level, amber from it, red from the alert level. All text put into HTML is
escaped here.
"""

from __future__ import annotations

import html

import streamlit as st

GREEN = "#1e8e5a"
AMBER = "#d99100"
RED = "#c8322f"
GREY = "#8a8f98"
NAVY = "#123a6b"
BLUE = "#2364aa"

# Tenants get colours from this palette in a stable order (by slug).
TENANT_PALETTE = (
    "#2364aa",
    "#3da5d9",
    "#73bfb8",
    "#4f7cac",
    "#8e6c8a",
    "#e07a5f",
    "#81b29a",
    "#6d597a",
    "#b56576",
    "#355070",
    "#457b9d",
    "#2a9d8f",
    "#9c6644",
    "#5e548e",
)
STATUS_COLOURS = {
    "active": "#2e7d5b",
    "planned": "#3d7cc9",
    "offline": "#8a8f98",
    "held": "#e0a100",
    "unusable": "#4a4f57",
}


LEVEL_COLOURS = {"ok": GREEN, "warn": AMBER, "alert": RED}


def level_colour(percent: float | None) -> str:
    """Green, amber or red for a utilization percentage, by the office's thresholds."""
    from dcim_ui.data import thresholds

    level = thresholds().level(percent)
    return GREY if level is None else LEVEL_COLOURS[level]


def esc(text: object) -> str:
    """Text made safe for HTML."""
    return html.escape("" if text is None else str(text))


_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#|$~")


def md(text: object) -> str:
    """Text shown literally inside Streamlit markdown (a name with ``*`` or ``$`` stays as typed)."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in str(text or ""))


_CSS = """
<style>
:root { --dcim-navy: #123a6b; }
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
.dcim-brand { font-weight: 700; font-size: 1.15rem; letter-spacing: .02em; }
.dcim-brand small { display:block; font-weight: 400; font-size: .76rem; opacity: .8; }
.dcim-user { font-size: .85rem; line-height: 1.3; padding: .4rem 0 .2rem 0; }
.dcim-user b { font-size: .95rem; }
.dcim-tile { border: 1px solid #e3e7ee; border-radius: 10px; padding: .8rem 1rem .7rem 1rem;
  background: #fff; box-shadow: 0 1px 2px rgba(16,40,80,.05); height: 100%; }
.dcim-tile .label { font-size: .78rem; text-transform: uppercase; letter-spacing: .05em;
  color: #5b6677; font-weight: 600; }
.dcim-tile .value { font-size: 1.7rem; font-weight: 700; line-height: 1.2; margin-top: .15rem; }
.dcim-tile .sub { font-size: .82rem; color: #5b6677; margin-top: .1rem; }
.dcim-bar { height: 8px; border-radius: 4px; background: #edf0f5; overflow: hidden; margin-top: .45rem; }
.dcim-bar > div { height: 100%; border-radius: 4px; }
.dcim-forecast { font-size: .78rem; color: #3b4656; margin-top: .4rem; }
.dcim-pill { display: inline-block; padding: .05rem .55rem; border-radius: 999px; font-size: .75rem;
  font-weight: 600; color: #fff; }
.dcim-legend { display:flex; flex-wrap: wrap; gap: .35rem .9rem; font-size: .8rem; color:#3b4656; }
.dcim-legend span.swatch { display:inline-block; width: .85rem; height: .85rem; border-radius: 2px;
  vertical-align: -2px; margin-right: .3rem; border: 1px solid rgba(0,0,0,.12); }
.dcim-ipgrid { display: grid; grid-template-columns: repeat(16, minmax(0, 1fr)); gap: 3px; }
.dcim-ipgrid div { font-size: .68rem; text-align: center; padding: .3rem 0; border-radius: 3px;
  font-family: ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid rgba(0,0,0,.06); }
.dcim-verdict { border-radius: 10px; padding: .7rem .9rem; border: 1px solid #e3e7ee; height: 100%;
  background: #fff; }
.dcim-verdict .head { font-weight: 700; font-size: .95rem; }
.dcim-verdict .msg { font-size: .84rem; color: #3b4656; margin-top: .25rem; }
.dcim-login-head { text-align: center; margin: 1.5rem 0 1rem 0; }
.dcim-login-head h1 { color: #123a6b; margin-bottom: .1rem; }
.dcim-login-head p { color: #5b6677; margin: 0; }
.dcim-page-head { border-bottom: 1px solid #e3e7ee; margin-bottom: .8rem; padding-bottom: .3rem; }
.dcim-page-head h2 { color: #123a6b; margin: 0; padding: 0; }
.dcim-page-head p { color: #5b6677; margin: .1rem 0 0 0; font-size: .9rem; }
</style>
"""


def inject() -> None:
    """Add the app's stylesheet to the page."""
    st.html(_CSS)


def page_header(title: str, subtitle: str | None = None) -> None:
    """The heading of a page, with an optional line under it."""
    sub = f"<p>{esc(subtitle)}</p>" if subtitle else ""
    st.html(f'<div class="dcim-page-head"><h2>{esc(title)}</h2>{sub}</div>')


def bar(percent: float | None) -> str:
    """A thin progress bar coloured by the thresholds."""
    width = max(0.0, min(100.0, percent or 0.0))
    return (
        f'<div class="dcim-bar"><div style="width:{width:.1f}%;'
        f'background:{level_colour(percent)}"></div></div>'
    )


def tile(label: str, value: str, sub: str, percent: float | None, foot: str = "") -> str:
    """A dashboard tile: label, big value coloured by level, a line under it and a bar."""
    foot_html = f'<div class="dcim-forecast">{esc(foot)}</div>' if foot else ""
    return (
        f'<div class="dcim-tile"><div class="label">{esc(label)}</div>'
        f'<div class="value" style="color:{level_colour(percent)}">{esc(value)}</div>'
        f'<div class="sub">{esc(sub)}</div>{bar(percent) if percent is not None else ""}'
        f"{foot_html}</div>"
    )


def pill(text: str, colour: str) -> str:
    """A small rounded label."""
    return f'<span class="dcim-pill" style="background:{colour}">{esc(text)}</span>'


def legend(items: list[tuple[str, str]]) -> str:
    """A row of colour swatches with their meaning."""
    parts = [
        f'<span><span class="swatch" style="background:{colour}"></span>{esc(label)}</span>'
        for label, colour in items
    ]
    return f'<div class="dcim-legend">{"".join(parts)}</div>'
