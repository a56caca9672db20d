"""What an action kind is: its data, its checks, what it writes, and the registry that finds it.

The state machine (:mod:`colocation.workflow`) knows no kind by name. For
an action it asks the registry for the handler of the action's ``kind``
and calls, in this order, inside one transaction:

1. :meth:`ActionHandler.prepare`: the checks that need the database, and the
   choices the action makes (a deadline, the engine call it needs);
2. the engine call, when ``prepare`` asked for one (:mod:`colocation.engine_calls`);
3. :meth:`ActionHandler.apply`: the changes to the request, the event's data
   and the outcome when the kind decides the way itself;
4. :meth:`ActionHandler.issue`: the records that hang on the event (the
   Lembar Disposisi, a disposition hop).

The SOP file is checked against the same handlers: the outcomes a kind
decides, the documents it may issue and any rule of its own
(:meth:`ActionHandler.sop_problems`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy.orm import Session

from dcim import i18n
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import User
from dcim.workdays import WorkingCalendar

from .. import action_data as ad
from ..choices import EngineCall
from ..models import ColocationRequest, RequestEvent

if TYPE_CHECKING:
    from ..sop import ActionSpec, Sop, StateSpec


@dataclass
class ActionContext:
    """One action, checked and on its way to being recorded; handlers read and fill it."""

    sop: Sop
    request: ColocationRequest
    user: User
    state: StateSpec
    action: ActionSpec | None  # None for the withdrawal, which no state lists
    kind: str
    data: ad.ActionData
    note: str | None
    on: dt.date
    lang: str
    calendar: WorkingCalendar
    # What prepare decided: the engine call the action needs and the next state's deadline.
    engine_call: EngineCall | None = None
    deadline: dt.date | None = None
    # What apply decided: the event's data (by default the action's data as given).
    event_data: dict[str, Any] = field(default_factory=dict)
    # Values a kind's prepare hands to its own apply or issue.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def targets(self) -> list[str]:
        """Every state or end the action may lead to (the withdrawal leads to one end)."""
        if self.action is None:
            return [self.sop.withdrawal.to]
        return self.action.targets()

    def date_text(self, value: dt.date) -> str:
        """A date in the action's language, for a message."""
        return i18n.date(value, self.lang)

    def refuse(self, path: str, key: str, source: str | None = None, **params: Any) -> InputError:
        """An :class:`InputError` naming ``path``, with the message ``key`` in the action's language."""
        return InputError([Problem(path, t(key, self.lang, **params))], source)


class ActionHandler:
    """The behaviour of one action kind; subclasses override what their kind does.

    ``kind`` is the name the SOP file writes; ``data_model`` the data the
    action takes; ``outcomes`` the ways the kind decides itself (empty: the
    action has one target, ``to``); ``documents`` those it may issue as its
    ``document`` (empty: it issues none).
    """

    kind: ClassVar[str]
    data_model: ClassVar[type[ad.ActionData]] = ad.NoData
    outcomes: ClassVar[tuple[str, ...]] = ()
    documents: ClassVar[tuple[str, ...]] = ()

    def sop_problems(
        self, sop: Sop, state: StateSpec, action: ActionSpec, state_path: str, action_path: str
    ) -> list[Problem]:
        """What an SOP file gets wrong about an action of this kind beyond outcomes and documents.

        ``state_path`` and ``action_path`` are where the state and the action
        sit in the file (``states[9]``, ``states[9].actions[0]``).
        """
        return []

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """Check what needs the database and decide what the action will do; nothing is written yet."""

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """Change the request and fill ``ctx.event_data``; the outcome when the kind decides it."""
        return None

    def issue(self, session: Session, ctx: ActionContext, event: RequestEvent) -> list[str]:
        """Write what hangs on the recorded event; the kinds of the documents issued this way."""
        return []


class ActionRegistry:
    """The action kinds an SOP may use, each with its one handler."""

    def __init__(self, handlers: Iterable[ActionHandler] = ()) -> None:
        self._handlers: dict[str, ActionHandler] = {}
        for handler in handlers:
            self.register(handler)

    def register(self, handler: ActionHandler) -> ActionHandler:
        """Add a kind; a kind registered twice is a programming error."""
        if handler.kind in self._handlers:
            raise ValueError(f"action kind '{handler.kind}' is registered twice")
        self._handlers[handler.kind] = handler
        return handler

    def extended(self, *handlers: ActionHandler) -> ActionRegistry:
        """A copy with more kinds (another office's SOP, or a test's)."""
        return ActionRegistry([*self._handlers.values(), *handlers])

    def handler(self, kind: str) -> ActionHandler:
        """The handler of a kind the SOP was validated against."""
        return self._handlers[kind]

    def __contains__(self, kind: object) -> bool:
        return kind in self._handlers

    def __iter__(self) -> Iterator[ActionHandler]:
        return iter(self._handlers.values())

    def kinds(self) -> tuple[str, ...]:
        """Every registered kind, in registration order."""
        return tuple(self._handlers)
