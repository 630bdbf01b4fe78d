"""``python -m playbook`` runs the command line."""

from playbook.cli.main import main

main()
