"""One renderer per page kind: a Playbook -> Markdown and HTML for item pages and the hand-written pages' macros.

May import the rest of :mod:`playbook.site` below it (text, scripts) and the layers under the site."""
