"""The assessment: answers -> tier, review path and the notes that explain it, worded in a language.

May import :mod:`playbook.data` and :mod:`playbook.i18n`."""
