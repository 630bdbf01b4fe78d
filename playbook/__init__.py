"""Publish an AI governance playbook kept as YAML: load, validate, classify, render."""

from __future__ import annotations

from playbook.assess.classify import Assessment, classify
from playbook.check.validate import check, validate
from playbook.data.load import load
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError, Problem

__all__ = ["Assessment", "Playbook", "PlaybookError", "Problem", "check", "classify", "load", "validate"]
