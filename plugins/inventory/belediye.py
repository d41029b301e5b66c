"""Ansible inventory plugin: the project's validated data model as Ansible hosts and groups.

It loads the data files next to the source file with ``bilgiislem.inventory.load`` (the same
schema ``invoke validate`` uses), so a broken inventory stops Ansible before any host is
contacted.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: belediye
short_description: Municipality inventory (bilgiislem data model)
description:
  - Reads municipality.yml, sites.yml, networks.yml, hosts.yml, devices.yml and personel.yml
    from the directory of the source file, validates them, and builds hosts and groups.
  - Groups are host roles (ntp_server, log_collector, ...), C(site_<code>), C(central) and
    C(remote).
options:
  plugin:
    description: Must be C(belediye).
    required: true
    choices: [belediye]
"""

from pathlib import Path

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin


class InventoryModule(BaseInventoryPlugin):
    NAME = "belediye"

    @staticmethod
    def _vault(loader, root):
        """The inventory's vault, decrypted with the vault secrets Ansible was given (the VPN
        peers' public keys are in it); None when there is none or it cannot be read."""
        path = root / "group_vars" / "all" / "vault.yml"
        if not path.is_file():
            return None
        try:
            data = loader.load_from_file(str(path))
        except AnsibleError:
            return None
        return data if isinstance(data, dict) else None

    def verify_file(self, path):
        return super().verify_file(path) and Path(path).name == "inventory.yml"

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            from bilgiislem.inventory import InventoryError
            from bilgiislem.inventory.ansible import to_ansible
        except ImportError as exc:
            raise AnsibleParserError(
                "the bilgiislem package is not importable; run Ansible from the project venv "
                f"(./scripts/invoke setup): {exc}"
            ) from exc
        root = Path(path).parent
        try:
            data = to_ansible(root, self._vault(loader, root))
        except InventoryError as exc:
            raise AnsibleParserError(f"inventory validation failed:\n{exc.report()}") from None
        for group in data["groups"]:
            self.inventory.add_group(group)
        for key, value in data["all_vars"].items():
            self.inventory.set_variable("all", key, value)
        for name, host in data["hosts"].items():
            self.inventory.add_host(name)
            for group in host["groups"]:
                self.inventory.add_child(group, name)
            for key, value in host["vars"].items():
                self.inventory.set_variable(name, key, value)
