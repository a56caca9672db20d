"""DNS names: normalisation to the stored form and the rules a host name must follow.

Names compare case-insensitively and without a trailing dot; internationalised
labels are kept in their IDNA (``xn--``) form. dnspython does the IDNA work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import dns.exception
import dns.name
import idna

from dcim.errors import Phrase

MAX_NAME_LENGTH = 253
MAX_LABEL_LENGTH = 63
_HOST_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Record owner names may also carry service labels (_dmarc, _sip._tcp) and a leading wildcard.
_RECORD_LABEL = re.compile(r"^(?:\*|[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)$")


#: Each English wording of a name problem (this module's and dnspython's) and its key under
#: ``capacity.domain.problem`` in the catalogs, with the values it carries.
NAME_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^has a space$"), "space"),
    (re.compile(r"^the name is empty$"), "empty"),
    (re.compile(r"^a label is empty$"), "label_empty"),
    (re.compile(r"^the name is longer than (?P<max>\d+) characters$"), "name_long"),
    (re.compile(r"^a label is longer than (?P<max>\d+) characters$"), "label_long_any"),
    (re.compile(r"^label '(?P<label>.*)' is longer than (?P<max>\d+) characters$"), "label_long"),
    (re.compile(r"^label '(?P<label>.*)' starts or ends with '-'$"), "hyphen"),
    (re.compile(r"^label '(?P<label>.*)' has a character other than a-z, 0-9 and '-'$"), "chars"),
    (
        re.compile(r"^label '(?P<label>.*)' is not a valid internationalised \(IDNA\) label$"),
        "idna",
    ),
    (re.compile(r"^not a valid internationalised name \((?P<detail>.*)\)$"), "idna_name"),
    (re.compile(r"^a wildcard '\*' may only be the first label$"), "wildcard_first"),
    (
        re.compile(r"^label '(?P<label>.*)' has a character not allowed in a DNS name$"),
        "record_chars",
    ),
    (re.compile(r"^wildcard$"), "wildcard"),
    (re.compile(r"^'(?P<name>.*)' is outside zone '(?P<zone>.*)'$"), "outside_zone"),
)


def reason_phrase(problem: str) -> Phrase | str:
    """A name problem's English wording as words for any language (as it is when unknown)."""
    for pattern, key in NAME_PROBLEMS:
        found = pattern.match(problem)
        if found:
            return Phrase(
                f"capacity.domain.problem.{key}", problem, tuple(sorted(found.groupdict().items()))
            )
    return problem


class InvalidName(ValueError):
    """A name that cannot be normalised or is not acceptable; the message says why."""


@dataclass(frozen=True)
class ZoneMatch:
    """Where a name falls in the managed zones: the zone and the name relative to it."""

    zone: str
    relative: str


def normalize(name: str) -> str:
    """Lower case, no trailing dot, IDNA form: the way names are stored and compared.

    Raises :class:`InvalidName` when the name cannot be encoded (an empty label,
    a character IDNA refuses).
    """
    text = name.strip()
    if text in ("", "."):
        raise InvalidName("the name is empty")
    if text.endswith("."):
        text = text[:-1]
    if ".." in text or text.startswith("."):
        raise InvalidName("a label is empty")
    try:
        encoded = dns.name.from_unicode(text.lower(), idna_codec=dns.name.IDNA_2008_Practical)
    except dns.name.EmptyLabel as exc:
        raise InvalidName("a label is empty") from exc
    except dns.name.LabelTooLong as exc:
        raise InvalidName(f"a label is longer than {MAX_LABEL_LENGTH} characters") from exc
    except dns.name.NameTooLong as exc:
        raise InvalidName(f"the name is longer than {MAX_NAME_LENGTH} characters") from exc
    except (dns.exception.DNSException, UnicodeError) as exc:
        raise InvalidName(f"not a valid internationalised name ({exc})") from exc
    return ".".join(label.decode("ascii") for label in encoded.labels if label).lower()


def _idna_label_problem(label: str) -> str | None:
    """Why an ``xn--`` label is not a valid IDNA A-label (punycode that decodes and round-trips)."""
    if not label.startswith("xn--"):
        return None
    try:
        if idna.encode(idna.decode(label)).decode("ascii") == label:
            return None
    except (idna.IDNAError, UnicodeError):
        pass
    return f"label '{label}' is not a valid internationalised (IDNA) label"


def host_name_problem(name: str) -> str | None:
    """Why a normalised name is not a valid host name, or None when it is.

    A host name has at most 253 characters, labels of 1..63 characters made
    of ``a-z``, ``0-9`` and ``-``, none starting or ending with ``-``.
    """
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is longer than {MAX_NAME_LENGTH} characters"
    for label in name.split("."):
        if not label:
            return "a label is empty"
        if len(label) > MAX_LABEL_LENGTH:
            return f"label '{label}' is longer than {MAX_LABEL_LENGTH} characters"
        if label.startswith("-") or label.endswith("-"):
            return f"label '{label}' starts or ends with '-'"
        if not _HOST_LABEL.match(label):
            return f"label '{label}' has a character other than a-z, 0-9 and '-'"
        if (problem := _idna_label_problem(label)) is not None:
            return problem
    return None


def record_name_problem(name: str) -> str | None:
    """Why a normalised owner name (relative, without ``@``) is not a valid DNS name, or None."""
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is longer than {MAX_NAME_LENGTH} characters"
    labels = name.split(".")
    for index, label in enumerate(labels):
        if not label:
            return "a label is empty"
        if len(label) > MAX_LABEL_LENGTH:
            return f"label '{label}' is longer than {MAX_LABEL_LENGTH} characters"
        if label == "*" and index != 0:
            return "a wildcard '*' may only be the first label"
        if not _RECORD_LABEL.match(label):
            return f"label '{label}' has a character not allowed in a DNS name"
        if (problem := _idna_label_problem(label)) is not None:
            return problem
    return None


def find_zone(fqdn: str, zones: list[str] | set[str] | frozenset[str]) -> ZoneMatch | None:
    """The longest managed zone that equals the name or is its suffix after a dot."""
    labels = fqdn.split(".")
    for start in range(len(labels)):
        candidate = ".".join(labels[start:])
        if candidate in zones:
            relative = ".".join(labels[:start]) or "@"
            return ZoneMatch(zone=candidate, relative=relative)
    return None


def absolute(relative: str, zone: str) -> str:
    """The fully qualified name of a relative one (``@`` is the apex)."""
    return zone if relative == "@" else f"{relative}.{zone}"


def relative_to(fqdn: str, zone: str) -> str:
    """A name inside a zone, relative to it (``@`` for the apex): the inverse of :func:`absolute`."""
    if fqdn == zone:
        return "@"
    if not fqdn.endswith("." + zone):
        raise InvalidName(f"'{fqdn}' is outside zone '{zone}'")
    return fqdn[: -len(zone) - 1]


_NAME_VALUED_TYPES = frozenset({"CNAME", "NS", "PTR"})


#: The English wordings of :func:`record_value_problem` and their keys under ``loader.dns``.
_VALUE_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(?P<type>\w+) needs an IPv(?P<version>\d) address, got '(?P<value>.*)'$"),
        "needs_address",
    ),
    (
        re.compile(r"^(?P<type>\w+) needs a name, got the address '(?P<value>.*)'$"),
        "name_not_address",
    ),
    (
        re.compile(r"^(?P<type>\w+) needs a name, got '(?P<value>.*)' \((?P<detail>.*)\)$"),
        "needs_name",
    ),
    (
        re.compile(r"^not a valid (?P<type>\w+) value '(?P<value>.*)' \((?P<detail>.*)\)$"),
        "bad_value",
    ),
)


def value_phrase(problem: str) -> Phrase | str:
    """A record value's problem as words for any language (as it is when the wording is unknown).

    The name problem a wording quotes is itself a :func:`reason_phrase`.
    """
    for pattern, key in _VALUE_PROBLEMS:
        found = pattern.match(problem)
        if found:
            params = found.groupdict()
            if "detail" in params:
                params["detail"] = reason_phrase(params["detail"])
            return Phrase(f"loader.dns.{key}", problem, tuple(sorted(params.items())))
    return problem


def record_value_problem(record_type: str, value: str) -> str | None:
    """Why a record's value does not fit its type, or None when it does.

    A needs an IPv4 address, AAAA an IPv6 one, CNAME/NS/PTR a name; MX, SRV
    and CAA are parsed by dnspython; TXT takes any text.
    """
    import ipaddress

    if record_type in ("A", "AAAA"):
        try:
            # A zone id (fe80::1%eth0) is not part of an address a record can carry.
            address = ipaddress.ip_address(value) if "%" not in value else None
        except ValueError:
            address = None
        wanted = 4 if record_type == "A" else 6
        if address is None or address.version != wanted:
            return f"{record_type} needs an IPv{wanted} address, got '{value}'"
        return None
    if record_type in _NAME_VALUED_TYPES:
        return _target_problem(record_type, value)
    if record_type == "TXT":
        return None
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype

    try:
        dns.rdata.from_text(
            dns.rdataclass.IN, dns.rdatatype.from_text(record_type), value, origin=dns.name.root
        )
    except Exception as exc:  # dnspython raises many kinds; all mean "not valid"
        return f"not a valid {record_type} value '{value}' ({exc})"
    return None


def _target_problem(record_type: str, value: str) -> str | None:
    import ipaddress

    try:
        ipaddress.ip_address(value.rstrip("."))
    except ValueError:
        pass
    else:
        return f"{record_type} needs a name, got the address '{value}'"
    try:
        target = normalize(value)
    except InvalidName as exc:
        return f"{record_type} needs a name, got '{value}' ({exc})"
    problem = record_name_problem(target)
    if problem is not None:
        return f"{record_type} needs a name, got '{value}' ({problem})"
    return None
