"""What changed in a playbook over its git history: two revisions compared, and each commit's changes.

May import check, register, assess, data and i18n; authoring and site build on it.
"""
