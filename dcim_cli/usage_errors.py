"""A wrong command line (a missing argument, an unknown option or command) told in the language.

click words these itself, in English, with no hook to translate them; the
command line catches them (:func:`dcim_cli.main.invoke`) and, in any language
but English, says the same with the catalog's words: the usage line (framed
like the help page), where to find help, and what was wrong. A kind of
mistake this module does not know is shown as click shows it.
"""

from __future__ import annotations

import re
from typing import Any

from dcim.i18n import t

from .context import err
from .help_text import frame

_NO_SUCH_COMMAND = re.compile(r"^No such command '(?P<name>.*)'\.$")
_NEEDS_VALUE = re.compile(r"^Option '(?P<name>.*)' requires (an argument|\d+ arguments)\.$")
_TAKES_NO_VALUE = re.compile(r"^Option '(?P<name>.*)' does not take a value\.$")


def show(exc: Any, lang: str) -> None:
    """Write the usage error ``exc`` (one of click's) on stderr in ``lang``."""
    message = _message(exc, lang) if lang != "en" else None
    if message is None:
        exc.show()
        return
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        err(frame(ctx.get_usage(), lang))
        if ctx.command.get_help_option(ctx) is not None:
            err(
                t("cli.usage.hint", lang, command=ctx.command_path, option=ctx.help_option_names[0])
            )
        err("")
    err(t("cli.usage.error", lang, message=message))


def _message(exc: Any, lang: str) -> str | None:
    """What was wrong, in ``lang``; None for a mistake click words better than a guess would."""
    kind = type(exc).__name__
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        if param is None:
            return None
        name = param.get_error_hint()
        key = "missing_option" if param.param_type_name == "option" else "missing_argument"
        return t(f"cli.usage.{key}", lang, name=name)
    if kind == "NoSuchOption":
        text = t("cli.usage.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            text += " " + t(
                "cli.usage.possible", lang, options=", ".join(sorted(exc.possibilities))
            )
        return text
    for pattern, key in (
        (_NO_SUCH_COMMAND, "no_such_command"),
        (_NEEDS_VALUE, "option_needs_value"),
        (_TAKES_NO_VALUE, "option_takes_no_value"),
    ):
        found = pattern.match(str(getattr(exc, "message", "")))
        if found:
            return t(f"cli.usage.{key}", lang, name=found.group("name"))
    return None
