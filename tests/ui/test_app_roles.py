"""Pages by role: a person sees only the pages of their role, and cannot open the others."""

from __future__ import annotations

import pytest
import yaml

from dcim_demo import DEMO_DIR
from dcim_ui.registry import all_pages, pages_for

USERS = yaml.safe_load((DEMO_DIR / "users.yaml").read_text(encoding="utf-8"))
ROLE_OF = {user["username"]: user["role"] for user in USERS["users"]}


@pytest.mark.parametrize("username", sorted(ROLE_OF))
def test_a_role_cannot_open_another_roles_pages(app, username: str) -> None:
    at = app(username)
    role = ROLE_OF[username]
    allowed = {page.spec.key for page in pages_for(role)}
    for page in all_pages():
        path = f"dcim_ui/pages/{page.path.name}"
        if page.spec.key in allowed:
            at.switch_page(path).run()
            assert not at.exception, f"{username} on {page.spec.key}: {at.exception}"
        else:
            with pytest.raises(ValueError):
                at.switch_page(path)


def test_the_administrator_has_every_page() -> None:
    assert {p.spec.key for p in pages_for("admin")} == {p.spec.key for p in all_pages()}


def test_an_opd_user_sees_no_data_center_pages() -> None:
    keys = {p.spec.key for p in pages_for("opd")}
    assert not keys & {"ringkasan", "rak", "daya", "ip", "domain", "cek", "inventaris", "audit"}
    assert "akun" in keys


def test_only_the_administrator_browses_the_audit_log() -> None:
    assert [
        role for role in ROLE_OF.values() if "audit" in {p.spec.key for p in pages_for(role)}
    ] == ["admin"]
