"""The request form Cek kapasitas and the OPD's new letter share: the document it builds."""

from __future__ import annotations

import datetime as dt

from dcim_ui.request_form import RequestFields, model_values, whole_or_decimal


def _fields(**changes: object) -> RequestFields:
    values: dict[str, object] = {
        "number": " 800/131/BKPSDM/2026 ",
        "letter_date": dt.date(2026, 11, 23),
        "tenant": "bkpsdm",
        "purpose": "",
        "site": None,
        "model": "Dell PowerEdge R640",
        "form_factor": "rack",
        "u_height": None,
        "power_w": 350.0,
        "weight_kg": None,
        "psu": None,
        "bandwidth_mbps": 20.0,
        "full_depth": True,
        "addresses": {(4, "server"): 1, (4, "management"): 0, (6, "server"): 2},
        "domains": "simpeg-dr.sumbawakab.go.id, simpeg.sumbawakab.go.id\n",
    }
    values.update(changes)
    return RequestFields(**values)  # type: ignore[arg-type]


def test_a_catalog_model_is_named_as_a_letter_names_it() -> None:
    types = [("dell-poweredge-r640", "Dell PowerEdge R640"), ("hpe-dl380-gen10", "HPE DL380")]
    assert model_values(types) == {
        "dell-poweredge-r640": "Dell PowerEdge R640",
        "hpe-dl380-gen10": "HPE DL380",
    }


def test_two_types_of_one_name_are_named_by_their_unique_slug() -> None:
    types = [("r640-a", "Dell PowerEdge R640"), ("r640-b", "dell  poweredge r640")]
    assert model_values(types) == {"r640-a": "r640-a", "r640-b": "r640-b"}


def test_empty_fields_are_left_for_the_catalog_to_fill() -> None:
    document = _fields().document()
    assert document == {
        "server": {
            "form_factor": "rack",
            "bandwidth_mbps": 20,
            "model": "Dell PowerEdge R640",
            "power_w": 350,
        },
        "number": "800/131/BKPSDM/2026",
        "date": dt.date(2026, 11, 23),
        "tenant": "bkpsdm",
        "ipv4": {"server": 1},
        "ipv6": {"server": 2},
        "domains": ["simpeg-dr.sumbawakab.go.id", "simpeg.sumbawakab.go.id"],
    }


def test_without_a_model_the_form_says_how_deep_the_server_is() -> None:
    assert _fields(model=None).document()["server"]["full_depth"] is True
    assert _fields(full_depth=False).document()["server"]["full_depth"] is False
    assert "full_depth" not in _fields().document()["server"]


def test_a_fraction_keeps_three_decimals_and_a_whole_number_is_an_integer() -> None:
    assert whole_or_decimal(12.0) == 12 and isinstance(whole_or_decimal(12.0), int)
    assert whole_or_decimal(12.34567) == 12.346


def test_the_capacity_check_names_the_model_as_the_new_letter_does(app) -> None:
    at = app("timdc", "cek")
    at.selectbox(key="cek_tenant").set_value("bkpsdm")
    at.selectbox(key="cek_model").set_value("dell-poweredge-r640")
    at.number_input(key="cek_ip_4_server").set_value(1)
    at.button[0].click().run()
    result = at.session_state["cek_result"]
    assert result.request.server.model == "Dell PowerEdge R640"
    assert result.feasible
