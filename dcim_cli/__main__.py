"""``python -m cli`` runs the ``dcim`` command."""

from dcim_cli.main import run

run()
