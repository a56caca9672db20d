"""The request form of Cek kapasitas and of the OPD's new letter: the letter, the server, addresses, names.

:func:`request_fields` draws the fields inside the caller's ``st.form``;
:meth:`RequestFields.document` turns what was submitted into the document
of the contract's request format (``number``, ``date``, ``tenant``,
``purpose``, ``site``, ``server``, ``ipv4``, ``ipv6``, ``domains``). A model
picked from the catalog fills in whatever the form leaves out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dcim.inventory.fields import MAX_RACK_UNITS
from dcim.models import FormFactor
from dcim_ui import data
from dcim_ui.context import tr


def whole_or_decimal(value: float) -> int | float:
    """A whole number as an int, else rounded to three decimals (the stored precision)."""
    return int(value) if float(value).is_integer() else round(float(value), 3)


def model_values(types: list[tuple[str, str]]) -> dict[str, str]:
    """What a request names each catalog type (slug, display name) by.

    A letter names a server by manufacturer and model, and the engine finds
    a type by that name; when two types share the name it would find either,
    so those are named by their slug, which is unique.
    """
    names = Counter(" ".join(name.split()).lower() for _, name in types)
    return {
        slug: name
        if names[" ".join(name.split()).lower()] == 1 and " ".join(name.split()) == name
        else slug
        for slug, name in types
    }


@dataclass(frozen=True)
class RequestFields:
    """What the request form's fields held when it was submitted."""

    number: str
    letter_date: dt.date | None
    tenant: str | None
    purpose: str
    site: str | None
    model: str | None
    form_factor: str
    u_height: int | None
    power_w: float | None
    weight_kg: float | None
    psu: int | None
    bandwidth_mbps: float
    full_depth: bool
    addresses: dict[tuple[int, str], int]
    domains: str

    def document(self) -> dict[str, Any]:
        """The request document the fields describe; empty fields are left out for the catalog."""
        server: dict[str, Any] = {
            "form_factor": self.form_factor,
            "bandwidth_mbps": whole_or_decimal(self.bandwidth_mbps),
        }
        if self.model:
            server["model"] = self.model
        for key, value in (
            ("u_height", self.u_height),
            ("power_w", self.power_w),
            ("weight_kg", self.weight_kg),
            ("psu", self.psu),
        ):
            if value is not None:
                server[key] = int(value) if key in ("u_height", "psu") else whole_or_decimal(value)
        # The switch starts on, so with a model it only speaks when turned off; the model's
        # own depth stands otherwise.
        if not self.model or not self.full_depth:
            server["full_depth"] = self.full_depth
        document: dict[str, Any] = {"server": server}
        for key, value in (
            ("number", self.number.strip()),
            ("date", self.letter_date),
            ("tenant", self.tenant),
            ("purpose", self.purpose.strip()),
            ("site", self.site),
        ):
            if value:
                document[key] = value
        for family in (4, 6):
            document[f"ipv{family}"] = {
                role: n for (fam, role), n in self.addresses.items() if fam == family and n
            }
        document["domains"] = [
            d for d in (line.strip() for line in self.domains.replace(",", "\n").splitlines()) if d
        ]
        return document


def request_fields(
    prefix: str,
    *,
    letter_required: bool = False,
    office: str | None = None,
    latest_date: dt.date | None = None,
) -> RequestFields:
    """Draw the request's fields in the current form; widget keys start with ``prefix``.

    ``letter_required`` marks the letter's number and date as required (a
    registered letter); ``office`` fixes the requesting office (an OPD user
    registers for its own); ``latest_date`` is the latest letter date allowed.
    """
    choices = data.request_choices()
    tenant_names = dict(data.tenants())
    sites = dict(data.sites())
    types = dict(choices["types"])
    st.markdown(f"**{tr('check.letter')}**")
    c1, c2, c3 = st.columns([1.2, 0.8, 1.6])
    number = c1.text_input(
        tr("req.f_number") if letter_required else tr("check.number"),
        placeholder="800/131/BKPSDM/2026",
        key=f"{prefix}_number",
    )
    letter_date = c2.date_input(
        tr("req.f_date") if letter_required else tr("check.date"),
        value=None,
        max_value=latest_date,
        format="DD/MM/YYYY",
        key=f"{prefix}_date",
    )
    if office is not None:
        tenant: str | None = office
        c3.text_input(
            tr("check.tenant"), value=f"{office} · {tenant_names.get(office, '')}", disabled=True
        )
    else:
        tenant = c3.selectbox(
            tr("check.tenant"),
            [None, *tenant_names],
            format_func=lambda s: (
                tr("check.no_tenant") if s is None else f"{s} · {tenant_names[s]}"
            ),
            key=f"{prefix}_tenant",
        )
    c1, c2 = st.columns([2, 1])
    purpose = c1.text_input(
        tr("check.purpose"), placeholder=tr("check.purpose_hint"), key=f"{prefix}_purpose"
    )
    site = c2.selectbox(
        tr("check.site"),
        [None, *sites],
        format_func=lambda s: tr("check.any_site") if s is None else sites[s],
        key=f"{prefix}_site",
    )

    st.markdown(f"**{tr('check.server')}**")
    c1, c2 = st.columns([2, 1])
    model = c1.selectbox(
        tr("check.model"),
        [None, *types],
        format_func=lambda s: tr("check.no_model") if s is None else types[s],
        help=tr("check.model_help"),
        key=f"{prefix}_model",
    )
    form_factor = c2.segmented_control(
        tr("check.form_factor"),
        list(FormFactor.values()),
        default=FormFactor.RACK.value,
        required=True,
        format_func=lambda v: tr(f"check.ff_{v}"),
        key=f"{prefix}_form_factor",
    )
    c1, c2, c3, c4, c5 = st.columns(5)
    u_height = c1.number_input(
        tr("check.u_height"),
        min_value=1,
        max_value=MAX_RACK_UNITS,
        value=None,
        placeholder=tr("check.from_catalog"),
        key=f"{prefix}_u",
    )
    power = c2.number_input(
        tr("check.power"),
        min_value=0.0,
        value=None,
        step=10.0,
        placeholder=tr("check.from_catalog"),
        key=f"{prefix}_power",
    )
    weight = c3.number_input(
        tr("check.weight"),
        min_value=0.0,
        value=None,
        step=1.0,
        placeholder=tr("check.from_catalog"),
        key=f"{prefix}_weight",
    )
    psu = c4.selectbox(
        tr("check.psu"),
        [None, 1, 2],
        key=f"{prefix}_psu",
        format_func=lambda v: tr("check.from_catalog") if v is None else str(v),
    )
    bandwidth = c5.number_input(
        tr("check.bandwidth"),
        min_value=0.0,
        value=0.0,
        step=10.0,
        format="%.0f",
        key=f"{prefix}_bandwidth",
    )
    full_depth = st.toggle(tr("check.full_depth"), value=True, key=f"{prefix}_full_depth")

    st.markdown(f"**{tr('check.addresses')}**")
    roles = choices["roles"]
    addresses: dict[tuple[int, str], int] = {}
    for col, (family, role) in zip(st.columns(max(1, len(roles))), roles, strict=False):
        addresses[(family, role)] = int(
            col.number_input(
                f"IPv{family} {role}",
                min_value=0,
                max_value=64,
                value=0,
                step=1,
                key=f"{prefix}_ip_{family}_{role}",
            )
        )
    domains = st.text_area(
        tr("check.domains"),
        placeholder="simpeg-dr.sumbawakab.go.id",
        height=70,
        key=f"{prefix}_domains",
    )
    return RequestFields(
        number=number,
        letter_date=letter_date,
        tenant=tenant,
        purpose=purpose,
        site=site,
        model=model_values(choices["types"])[model] if model else None,
        form_factor=form_factor or FormFactor.RACK.value,
        u_height=u_height,
        power_w=power,
        weight_kg=weight,
        psu=psu,
        bandwidth_mbps=bandwidth,
        full_depth=bool(full_depth),
        addresses=addresses,
        domains=domains,
    )
