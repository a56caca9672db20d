"""`dcim --help` in the language asked: every command's and option's help from the catalog.

The help texts beside the commands are the English ones (and the keys of the
``clihelp`` catalog, which holds both languages). Before the command line
parses its arguments, :func:`localize` rewrites the help of the command
tree in the language of ``--lang`` (anywhere on the line), else
``$DCIM_LANG``, else Bahasa Indonesia, so that ``dcim --help`` reads like
the messages that follow it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from dcim.i18n import UnknownLanguage, catalog, resolve_language


def language_of(argv: Sequence[str]) -> str:
    """The language a command line asks for (``--lang en`` or ``--lang=en``), else the default."""
    chosen: str | None = None
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    try:
        return resolve_language(chosen)
    except UnknownLanguage:
        return resolve_language(None)  # the command itself refuses the bad value, in words


def localize(command: Any, lang: str) -> None:
    """Rewrite the help of ``command`` and all below it in ``lang`` (texts it lacks stay)."""
    texts = catalog(lang)
    _walk(command, [], texts, _framed(lang, command.context_class))


# click writes the frame of a help page (headings, the help option, "[required]") in English
# with no hook to translate it; these are the lines and marks it writes, found in its output.
_HEADINGS = {"Usage:": "usage", "Options:": "options", "Arguments:": "arguments"}
_HEADINGS["Commands:"] = "commands"
_HEADING = re.compile(r"^(Usage:|Options:|Arguments:|Commands:)", re.MULTILINE)
_DEFAULT = re.compile(r"\[default: ")


def frame(page: str, lang: str) -> str:
    """A help page click wrote, with its frame (headings, help option, marks) in ``lang``."""
    texts = catalog(lang)

    def word(name: str) -> str:
        return texts.get(f"cli.help_frame.{name}", name)

    page = _HEADING.sub(lambda m: word(_HEADINGS[m.group(1)]), page)
    page = page.replace("Show this message and exit.", word("help_option"))
    page = page.replace("[required]", word("required"))
    return _DEFAULT.sub(lambda _: f"[{word('default')}: ", page)


def _framed(lang: str, base: type) -> type:
    """A click context class whose help pages have their frame in ``lang``.

    Built on the command's own context class: Typer carries its own copy of click.
    """
    return _framed_class(lang, base)


@cache
def _framed_class(lang: str, base: type) -> type:
    def get_help(self: Any) -> str:
        return frame(base.get_help(self), lang)

    return type(f"Framed{base.__name__}", (base,), {"get_help": get_help})


def _walk(command: Any, path: list[str], texts: dict[str, str], context_class: Any) -> None:
    command.context_class = context_class
    key = "_".join(path) or "root"
    help_text = texts.get(f"clihelp.commands.{key}")
    if help_text is not None:
        command.help = help_text
        # click shows the first sentence in the parent's list of commands.
        command.short_help = None
    for param in command.params:
        option_help = texts.get(f"clihelp.options.{key}__{param.name}")
        if option_help is not None and hasattr(param, "help"):
            param.help = option_help
    for name, sub in getattr(command, "commands", {}).items():
        _walk(sub, [*path, name], texts, context_class)
