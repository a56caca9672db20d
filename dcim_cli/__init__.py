"""The ``dcim`` command line: thin commands over the services of the lower layers."""
