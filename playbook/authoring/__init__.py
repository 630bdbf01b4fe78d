"""Tools that write or compare playbooks: init, new (scaffold), synth, diff, report.

May import :mod:`playbook.export`, :mod:`playbook.check` and every layer below; never the site or the CLI."""
