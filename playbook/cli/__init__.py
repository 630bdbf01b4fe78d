"""The ``playbook`` command: click commands only, each calling one function of the layers below.

The top layer: may import every other part of the package."""
