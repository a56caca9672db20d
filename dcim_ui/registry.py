"""Which pages exist and who may open them: the app's navigation, built per role.

Every module in :mod:`ui.pages` that defines ``PAGE = PageSpec(...)`` is a
page; its file is what Streamlit runs. A page is registered only for the
roles it names, so a person never sees (and cannot open) a page their role
may not use. Other parts of dcim-lite add pages by adding a module there.
Dashboard tiles work the same way: modules in :mod:`ui.tiles` define
``TILE = TileSpec(...)``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dcim.accounts import role_allows
from dcim.models import Role

INTERNAL_ROLES: frozenset[str] = frozenset(Role.values()) - {Role.OPD.value}
ALL_ROLES: frozenset[str] = frozenset(Role.values())

# Sections in the order the sidebar shows them; titles come from dcim_ui.nav.<section>.
SECTIONS: tuple[str, ...] = ("overview", "infrastructure", "service", "data", "admin", "account")


@dataclass(frozen=True)
class PageSpec:
    """A page: its URL, title (``ui.pages.<key>``), icon, section, order and roles.

    ``roles`` may be a function, asked each time the navigation is built,
    for pages whose roles come from a file that can change while the app
    runs (the SOP names who registers letters).
    """

    key: str
    icon: str
    section: str
    order: int
    roles: frozenset[str] | Callable[[], Collection[str]]
    default: bool = False

    def allowed(self, role: str) -> bool:
        """Whether a person of this role may open the page (the administrator may open all)."""
        return role_allows(role, self.roles() if callable(self.roles) else self.roles)


@dataclass(frozen=True)
class RegisteredPage:
    """A page spec and the file Streamlit runs for it."""

    spec: PageSpec
    path: Path


@dataclass(frozen=True)
class TileSpec:
    """A dashboard tile added by another module: who sees it, where, and how it draws itself."""

    key: str
    order: int
    roles: frozenset[str]
    render: Callable[[], None]

    def allowed(self, role: str) -> bool:
        """Whether a person of this role sees the tile (the administrator sees all)."""
        return role_allows(role, self.roles)


def _modules(package: str) -> list[tuple[str, Path]]:
    module = importlib.import_module(package)
    folder = Path(module.__file__ or "").parent
    return [
        (f"{package}.{info.name}", folder / f"{info.name}.py")
        for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name)
        if not info.name.startswith("_")
    ]


@cache
def all_pages() -> tuple[RegisteredPage, ...]:
    """Every page module, by section then order."""
    pages = []
    for name, path in _modules("dcim_ui.pages"):
        spec = getattr(importlib.import_module(name), "PAGE", None)
        if isinstance(spec, PageSpec):
            pages.append(RegisteredPage(spec, path))
    section_rank = {section: i for i, section in enumerate(SECTIONS)}
    return tuple(
        sorted(
            pages,
            key=lambda p: (section_rank.get(p.spec.section, len(SECTIONS)), p.spec.order),
        )
    )


def page_file(key: str) -> str:
    """The page's file as ``st.switch_page`` takes it, wherever the entry script is.

    ``st.switch_page`` reads a relative path from the entry script's folder, which is the
    clone's top for ``streamlit_app.py`` but ``dcim_ui/launch/`` for ``dcim app``; an absolute
    path names the same registered page from both.
    """
    return str(next(page.path for page in all_pages() if page.spec.key == key))


def pages_for(role: str) -> list[RegisteredPage]:
    """The pages a role may open, in navigation order."""
    return [page for page in all_pages() if page.spec.allowed(role)]


@cache
def all_tiles() -> tuple[TileSpec, ...]:
    """Every dashboard tile module, by order."""
    tiles = []
    for name, _path in _modules("dcim_ui.tiles"):
        spec = getattr(importlib.import_module(name), "TILE", None)
        if isinstance(spec, TileSpec):
            tiles.append(spec)
    return tuple(sorted(tiles, key=lambda tile: tile.order))


def tiles_for(role: str) -> list[TileSpec]:
    """The extra dashboard tiles a role sees."""
    return [tile for tile in all_tiles() if tile.allowed(role)]
