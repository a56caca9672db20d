"""The inventory file (YAML, version 1): parsing, validation, loading and export."""

from .problems import InputError, Problem

__all__ = ["InputError", "Problem"]
