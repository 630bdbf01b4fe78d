"""Reading the YAML: safe parsing, positions, the typed models, the registry of kinds, and problems and their wording.

The lowest layer: imports nothing of the package but :mod:`playbook.i18n`."""
