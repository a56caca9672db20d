"""Address text in, ``ipaddress`` objects out: the parsing rules the inventory applies.

Messages are written to follow a field name (``prefixes[0].prefix: ...``).
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dcim.errors import Problem

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressError(ValueError):
    """Text that is not the address, prefix or range it should be.

    Says why in English (``str``) and, through :meth:`problem`, with its
    catalog key (``loader.address.<why>``) for the reader's language.
    """

    def __init__(self, why: str, english: str, /, **params: Any) -> None:
        self.key = f"loader.address.{why}"
        self.english = english
        self.params = params
        super().__init__(english.format(**params))

    def problem(self, path: str) -> Problem:
        """This error as a problem of the field at ``path``."""
        return Problem.of(path, self.key, self.english, **self.params)


def parse_prefix(text: str) -> Network:
    """A prefix in CIDR form whose host bits are all zero."""
    if "/" not in text:
        raise AddressError("not_cidr", "'{text}' is not in CIDR form (address/length)", text=text)
    if "%" in text:
        raise AddressError(
            "prefix_zone", "'{text}' must be a prefix without a zone id ('%...')", text=text
        )
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        try:
            loose = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise AddressError(
                "bad_prefix", "'{text}' is not a valid IPv4 or IPv6 prefix", text=text
            ) from exc
        raise AddressError(
            "host_bits",
            "{text} has host bits set (the network address is {network})",
            text=text,
            network=loose.network_address,
        ) from exc


def loose_prefix(text: str) -> Network | None:
    """The network a CIDR text means even with host bits set, or None when it is not CIDR at all."""
    if "/" not in text:
        return None
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def parse_address(text: str) -> Address:
    """A single IPv4 or IPv6 address, without a prefix length."""
    if "/" in text:
        raise AddressError(
            "address_length", "'{text}' must be an address without a prefix length", text=text
        )
    if "%" in text:
        # A zone id (fe80::1%eth0) names an interface of one host, not an address to allocate;
        # Python would also count fe80::1%eth0 and fe80::1 as two addresses.
        raise AddressError(
            "address_zone", "'{text}' must be an address without a zone id ('%...')", text=text
        )
    try:
        return ipaddress.ip_address(text)
    except ValueError as exc:
        raise AddressError(
            "bad_address", "'{text}' is not a valid IPv4 or IPv6 address", text=text
        ) from exc


def parse_range(text: str) -> tuple[Address, Address]:
    """An inclusive range ``first-last`` (or a single address) of one family, first <= last."""
    first_text, sep, last_text = text.partition("-")
    first = parse_address(first_text.strip())
    last = parse_address(last_text.strip()) if sep else first
    if first.version != last.version:
        raise AddressError("mixed_families", "'{text}' mixes IPv4 and IPv6", text=text)
    if int(last) < int(first):
        raise AddressError("backwards", "'{text}' ends before it starts", text=text)
    return first, last


@dataclass(frozen=True)
class PrefixIndex:
    """Finds the prefix that holds an address, by binary search over sorted, disjoint prefixes."""

    starts: dict[int, list[int]]
    entries: dict[int, list[tuple[Network, object]]]

    @classmethod
    def build(cls, prefixes: Iterable[tuple[Network, object]]) -> PrefixIndex:
        """Index (network, key) pairs; the networks must not overlap."""
        by_family: dict[int, list[tuple[Network, object]]] = {4: [], 6: []}
        for network, key in prefixes:
            by_family[network.version].append((network, key))
        for items in by_family.values():
            items.sort(key=lambda item: int(item[0].network_address))
        starts = {
            family: [int(net.network_address) for net, _ in items]
            for family, items in by_family.items()
        }
        return cls(starts=starts, entries=by_family)

    def find(self, address: Address) -> tuple[Network, object] | None:
        """The (network, key) containing the address, or None."""
        value = int(address)
        position = bisect_right(self.starts[address.version], value) - 1
        if position < 0:
            return None
        network, key = self.entries[address.version][position]
        return (network, key) if value <= int(network.broadcast_address) else None
