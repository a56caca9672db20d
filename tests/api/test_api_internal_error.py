"""An unexpected failure is a 500 in the API's error shape and the caller's language, never a traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from dcim_api import create_app


async def _get(app: object, lang: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        headers = {"Authorization": "Token dcim_x", "Accept-Language": lang}
        return await client.get("/api/v1/sites", headers=headers)


def test_an_internal_error_is_500_json_without_a_traceback(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'dcim.db'}")
    app.state.engine = None  # every call now fails inside, as with a broken deployment
    response = asyncio.run(_get(app, "id"))
    english = asyncio.run(_get(app, "en"))
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["message"].startswith("Terjadi kesalahan pada server")
    assert "Traceback" not in response.text and "kesalahan internal" not in response.text
    assert english.json()["errors"][0]["message"].startswith("The server hit an error")
