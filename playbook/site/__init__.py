"""The site: a Playbook -> pages for mkdocs-material, through the mkdocs plugin and the macros module.

plugin.py and build.py drive mkdocs; generated.py lists every generated page; pages/ holds one renderer per
page kind; text.py, scripts.py and search.py are their tools. May import every layer below the site.
"""
