"""``python -m cli`` runs the ``dcim`` command."""

from cli.main import run

run()
