"""The office's kop surat beyond the inventory's ``organization``: address, contacts, logo, language.

The inventory file names the government, the office and the city (the
contract's ``organization``); a letter that goes to another office also
carries the street address, postal code, telephone, fax, website and e-mail
(Tata Naskah Dinas: the kop surat of a perangkat daerah), and the regional
government's logo. These are office settings (``settings`` rows
``letterhead`` and ``letterhead.logo``), changed by the administrator or the
operator and audited. ``language`` is the language the office writes its
letters in: a document follows it, never the language of the screen or of
``--lang``.
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.inventory.fields import unprintable_problem
from dcim.mail import normalized_email
from dcim.models import OPERATOR_ROLE, Role, Setting

LETTERHEAD_SETTING = "letterhead"
LOGO_SETTING = "letterhead.logo"
MAX_LOGO_BYTES = 512 * 1024
LETTERHEAD_ADMIN_ROLES = (Role.ADMIN, OPERATOR_ROLE)

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


class LetterLanguage(StrEnum):
    """The language the office writes its letters in."""

    ID = "id"
    EN = "en"


Line = Annotated[str, Field(min_length=1, max_length=200)]


class LetterheadSettings(BaseModel):
    """The kop surat's contact lines and the language of the office's letters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    address: Line | None = None
    postal_code: Annotated[str, Field(pattern=r"^\d{5}$")] | None = None
    phone: Annotated[str, Field(max_length=40, pattern=r"^[0-9 +()./-]{4,40}$")] | None = None
    fax: Annotated[str, Field(max_length=40, pattern=r"^[0-9 +()./-]{4,40}$")] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    website: (
        Annotated[
            str,
            Field(max_length=100, pattern=r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$"),
        ]
        | None
    ) = None
    language: LetterLanguage = LetterLanguage.ID


def read_letterhead_settings(session: Session) -> LetterheadSettings:
    """The stored settings, or the defaults (no contact lines, letters in Bahasa Indonesia)."""
    row = session.get(Setting, LETTERHEAD_SETTING)
    if row is None or not isinstance(row.value, dict):
        return LetterheadSettings()
    try:
        return LetterheadSettings.model_validate(row.value)
    except ValidationError:
        return LetterheadSettings()


def office_language(session: Session) -> str:
    """The language the office's documents are written in."""
    return read_letterhead_settings(session).language.value


def read_logo(session: Session) -> bytes | None:
    """The logo on the kop surat (PNG or JPEG bytes), or None."""
    row = session.get(Setting, LOGO_SETTING)
    if row is None or not isinstance(row.value, str):
        return None
    try:
        return base64.b64decode(row.value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _problem(error: Any, lang: str) -> Problem:
    field = str(error["loc"][0]) if error["loc"] else "address"
    if field not in LetterheadSettings.model_fields:
        return Problem(field, t("letterhead.rule.unknown", lang))
    return Problem(t(f"letterhead.field.{field}", lang), t(f"letterhead.rule.{field}", lang))


def write_letterhead_settings(
    session: Session, actor: Actor, values: dict[str, Any], lang: str = "id"
) -> LetterheadSettings:
    """Check and store the kop surat's lines; an empty text clears a line."""
    require_role(actor, LETTERHEAD_ADMIN_ROLES, "change the letterhead")
    cleaned = {
        key: (value.strip() or None) if isinstance(value, str) else value
        for key, value in values.items()
    }
    try:
        settings = LetterheadSettings.model_validate(cleaned)
    except ValidationError as exc:
        raise InputError([_problem(error, lang) for error in exc.errors()]) from None
    if settings.address is not None:
        unprintable = unprintable_problem(settings.address)
        if unprintable is not None:
            raise InputError(
                [Problem(t("letterhead.field.address", lang), t("letterhead.rule.address", lang))]
            )
    if settings.email is not None:
        email = normalized_email(settings.email, t("letterhead.field.email", lang), lang)
        settings = settings.model_copy(update={"email": email})
    stored = settings.model_dump(mode="json")
    row = session.get(Setting, LETTERHEAD_SETTING)
    if row is None:
        session.add(Setting(key=LETTERHEAD_SETTING, value=stored))
    else:
        row.value = stored
    record(
        session, actor, "settings.letterhead", "setting", LETTERHEAD_SETTING, "kop surat", stored
    )
    return settings


def logo_problem(content: bytes, lang: str) -> str | None:
    """Why these bytes cannot be the logo (size, type, an image python-docx cannot place)."""
    if len(content) > MAX_LOGO_BYTES:
        return t("letterhead.logo_too_big", lang, limit=MAX_LOGO_BYTES // 1024)
    if not (content.startswith(_PNG) or content.startswith(_JPEG)):
        return t("letterhead.logo_type", lang)
    from docx.image.image import Image

    try:
        Image.from_blob(content)
    except Exception:  # python-docx raises several types for a damaged header
        return t("letterhead.logo_damaged", lang)
    return None


def write_logo(session: Session, actor: Actor, content: bytes | None, lang: str = "id") -> None:
    """Store the logo (PNG or JPEG, at most 512 KiB), or remove it with None."""
    require_role(actor, LETTERHEAD_ADMIN_ROLES, "change the letterhead")
    row = session.get(Setting, LOGO_SETTING)
    if content is None:
        if row is not None:
            session.delete(row)
        record(session, actor, "settings.logo", "setting", LOGO_SETTING, "-")
        return
    problem = logo_problem(content, lang)
    if problem is not None:
        raise InputError([Problem(t("letterhead.field.logo", lang), problem)])
    encoded = base64.b64encode(content).decode("ascii")
    if row is None:
        session.add(Setting(key=LOGO_SETTING, value=encoded))
    else:
        row.value = encoded
    record(session, actor, "settings.logo", "setting", LOGO_SETTING, f"{len(content)} bytes")
