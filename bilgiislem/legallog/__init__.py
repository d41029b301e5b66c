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
from typing import TYPE_CHECKING

from bilgiislem import REPO_ROOT

if TYPE_CHECKING:
    from bilgiislem.inventory import Inventory

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


def tsa_ca_problem(inv: Inventory) -> str | None:
    """Why legal_logging.yml's TSA certificate cannot be used, or None. Checked before a
    deploy rather than by `validate`: the lab's authority makes its certificate at `lab.up`."""
    ll = inv.legal_logging
    if ll is None:
        return None
    ca = (inv.root / ll.tsa.ca_file).resolve()
    where = f"{inv.root}/legal_logging.yml: tsa.ca_file: {ll.tsa.ca_file!r}"
    if not ca.is_file():
        return (f"{where}: {ca} does not exist; hint: save the time-stamp provider's CA "
                "certificate (PEM) there (in the lab, `./scripts/invoke lab.up` makes it)")
    if "-----BEGIN CERTIFICATE-----" not in ca.read_text(encoding="utf-8", errors="replace"):
        return (f"{where}: {ca} is not a PEM certificate; hint: it must hold "
                "'-----BEGIN CERTIFICATE-----' (openssl x509 -outform PEM)")
    return None
