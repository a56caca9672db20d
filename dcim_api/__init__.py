"""dcim-lite's HTTP JSON API (``dcim serve``): an interface over the same services as the CLI.

FastAPI on uvicorn. Everything under ``/api/v1/`` needs a personal access
token (``Authorization: Token <token>`` or ``Bearer <token>``); the
services' role table decides what the token's owner may do. Errors are
``{"errors": [{"field": ..., "message": ...}]}`` in the caller's language
(``Accept-Language``: ``id`` by default, ``en``).
"""

from .app import create_app

__all__ = ["create_app"]
