"""The migration report: counts in and out per kind, every adaptation and skip with its objects.

The report is plain data (:meth:`MigrationReport.to_json` is what ``dcim import
netbox --json`` prints); :meth:`MigrationReport.text` words it in Indonesian or
English from the ``netbox`` message catalog.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from dcim.i18n import t

#: How many objects the text names under one heading; the JSON always lists all of them.
TEXT_LIMIT = 12


@dataclass(frozen=True)
class ObjectRef:
    """A NetBox object (model and pk), its NetBox name, and what it became or why."""

    model: str
    pk: int
    name: str = ""
    to: str = ""

    def as_json(self) -> dict[str, Any]:
        """The object as a JSON mapping (``to`` only when there is one)."""
        data: dict[str, Any] = {"model": self.model, "pk": self.pk, "name": self.name}
        if self.to:
            data["to"] = self.to
        return data

    def label(self) -> str:
        """``dcim.rack 5 'Comms closet' -> Comms closet (ams01)``."""
        text = f"{self.model} {self.pk}" + (f" '{self.name}'" if self.name else "")
        return f"{text} -> {self.to}" if self.to else text


@dataclass
class MigrationReport:
    """What an import did, kind by kind."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    adaptations: dict[str, list[ObjectRef]] = field(default_factory=lambda: defaultdict(list))
    skipped: dict[str, list[tuple[ObjectRef, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    still_to_fill: dict[str, list[ObjectRef]] = field(default_factory=lambda: defaultdict(list))
    others: dict[str, list[int | str]] = field(default_factory=dict)
    context: dict[str, int] = field(default_factory=dict)
    loaded: dict[str, int] = field(default_factory=dict)
    companion: dict[str, int] = field(default_factory=dict)
    source: str = ""
    dry_run: bool = False

    def count(self, kind: str, came_in: int, went_out: int) -> None:
        """NetBox objects of a kind in the dump, and how many came across."""
        self.counts[kind] = {"in": came_in, "out": went_out}

    def adapt(self, code: str, ref: ObjectRef) -> None:
        """An object that came across changed by an adaptation."""
        self.adaptations[code].append(ref)

    def skip(self, ref: ObjectRef, reason: str, detail: dict[str, Any] | None = None) -> None:
        """An object that did not come across, and why."""
        self.skipped[reason].append((ref, detail or {}))

    def to_fill(self, code: str, ref: ObjectRef) -> None:
        """Something NetBox cannot give that the companion file should."""
        self.still_to_fill[code].append(ref)

    def to_json(self) -> dict[str, Any]:
        """The whole report as one JSON document."""
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "loaded": self.loaded,
            "companion": self.companion,
            "adaptations": {
                code: [ref.as_json() for ref in refs] for code, refs in self.adaptations.items()
            },
            "skipped": {
                reason: [
                    ref.as_json() | ({"detail": detail} if detail else {}) for ref, detail in items
                ]
                for reason, items in self.skipped.items()
            },
            "still_to_fill_in": {
                code: [ref.as_json() for ref in refs] for code, refs in self.still_to_fill.items()
            },
            "not_carried": self.others,  # model -> the pks of its records
            "read_for_context": self.context,
        }

    def text(self, lang: str) -> list[str]:
        """The report in words, Indonesian or English."""
        lines = [t("netbox.title_dry" if self.dry_run else "netbox.title", lang, file=self.source)]
        lines.append(t("netbox.counts", lang))
        for kind, numbers in self.counts.items():
            lines.append(
                "  "
                + t(
                    "netbox.count_line",
                    lang,
                    kind=t(f"netbox.kinds.{kind}", lang).ljust(22),
                    came_in=numbers["in"],
                    out=numbers["out"],
                )
            )
        if self.companion:
            parts = ", ".join(f"{k}: {v}" for k, v in self.companion.items())
            lines.append(t("netbox.companion", lang, parts=parts))
        if self.adaptations:
            lines.append(t("netbox.adaptations", lang))
            for code, refs in self.adaptations.items():
                lines.append("  " + t(f"netbox.adapt.{code}", lang) + f" ({len(refs)}):")
                lines.extend(_named(refs, lang))
        if self.skipped:
            lines.append(t("netbox.skipped", lang))
            for reason, items in self.skipped.items():
                lines.append("  " + t(f"netbox.reason.{reason}", lang) + f" ({len(items)}):")
                refs = [
                    ObjectRef(r.model, r.pk, r.name, ", ".join(f"{k}={v}" for k, v in d.items()))
                    for r, d in items
                ]
                lines.extend(_named(refs, lang))
        if self.others:
            lines.append(t("netbox.not_carried", lang))
            lines.append(
                "  " + ", ".join(f"{model} ({len(pks)})" for model, pks in self.others.items())
            )
        if self.context:
            lines.append(t("netbox.context", lang))
            lines.append("  " + ", ".join(f"{model} ({n})" for model, n in self.context.items()))
        if self.still_to_fill:
            lines.append(t("netbox.to_fill", lang))
            for code, refs in self.still_to_fill.items():
                lines.append("  " + t(f"netbox.fill.{code}", lang) + f" ({len(refs)}):")
                lines.extend(_named(refs, lang))
        else:
            lines.append(t("netbox.nothing_to_fill", lang))
        return lines


def _named(refs: list[ObjectRef], lang: str) -> list[str]:
    shown = [f"    - {ref.label()}" for ref in refs[:TEXT_LIMIT]]
    if len(refs) > TEXT_LIMIT:
        shown.append("    " + t("netbox.more", lang, count=len(refs) - TEXT_LIMIT))
    return shown
