"""The use-case register: each case's computed assessment, the register's metrics and audit sampling.

May import :mod:`playbook.assess`, :mod:`playbook.data` and :mod:`playbook.i18n`."""
