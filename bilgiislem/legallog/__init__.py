"""Law 5651 legal logging: the control machine's side.

The sealing, verification, look-up and destruction logic runs on the log collector as
``roles/log_collector/files/bilgiislem-5651`` (standard library + openssl, so an auditor can run
it anywhere). ``sealer()`` imports that same file here, for the tasks and the tests: one
implementation, two places it runs.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from types import ModuleType

from bilgiislem import REPO_ROOT

SEALER_PATH = REPO_ROOT / "roles" / "log_collector" / "files" / "bilgiislem-5651"


def sealer() -> ModuleType:
    """The collector's ``bilgiislem-5651`` program as a module."""
    name = "bilgiislem_5651"
    if name in sys.modules:
        return sys.modules[name]
    loader = importlib.machinery.SourceFileLoader(name, str(SEALER_PATH))
    spec = importlib.util.spec_from_loader(name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    loader.exec_module(module)
    return module
