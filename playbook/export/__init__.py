"""The exports: the JSON document, CSV files and the JSON Schemas published for editors.

May import :mod:`playbook.register`, :mod:`playbook.data` and :mod:`playbook.i18n`; never the site."""
