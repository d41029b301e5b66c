"""bilgiislem: the IT department of a Turkish municipality, as code.

Python side of the project: the inventory schema, the lab, and the helpers that ``tasks.py``,
``scripts/`` and the Ansible inventory plugin call.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
