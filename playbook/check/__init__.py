"""Validation: the rules that span files, for every kind, as a sorted list of problems.

May import :mod:`playbook.register`, :mod:`playbook.assess`, :mod:`playbook.data` and :mod:`playbook.i18n`."""
