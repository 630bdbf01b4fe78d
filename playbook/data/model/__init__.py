"""The typed models of each kind of file, and the Playbook that holds them once loaded.

May import :mod:`playbook.data.source` only."""
