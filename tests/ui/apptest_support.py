"""What the app's tests share besides fixtures: where the app is, and signing in."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "streamlit_app.py"
ARTIFACTS = REPO / "test-artifacts"
DEMO_PASSWORD = "sumbawa2026"
TIMEOUT_S = 60


def sign_in(at: AppTest, username: str, password: str = DEMO_PASSWORD) -> AppTest:
    """Fill in the sign-in form and submit it."""
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click()
    return at.run()
