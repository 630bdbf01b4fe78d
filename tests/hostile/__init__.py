"""Hostile input for the playbook: broken files, template and script payloads, and their expected outcomes."""
