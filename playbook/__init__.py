"""Publish an AI governance playbook kept as YAML: load, validate, classify, render."""

from __future__ import annotations

from .classify import Assessment, classify
from .load import load
from .model import Playbook
from .problems import PlaybookError, Problem
from .validate import check, validate

__all__ = ["Assessment", "Playbook", "PlaybookError", "Problem", "check", "classify", "load", "validate"]
