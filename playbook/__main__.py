"""``python -m playbook`` runs the command line."""

from .cli import main

main()
