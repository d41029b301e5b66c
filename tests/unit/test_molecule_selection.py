"""Which Molecule scenarios `invoke test` runs: every role has one, and a scenario is left out
only for a role the lab deploys and an e2e file tests."""

from bilgiislem import REPO_ROOT, molecule
from bilgiislem.inventory import load
from bilgiislem.inventory.ansible import host_groups

LAB = REPO_ROOT / "inventory" / "lab"


def test_every_role_has_a_scenario():
    roles = sorted(p.name for p in (REPO_ROOT / "roles").iterdir() if (p / "tasks").is_dir())
    # backup_server is converged and verified inside backup_client's scenario
    assert sorted([*molecule.roles_with_scenarios(), "backup_server"]) == roles


def test_left_out_scenarios_are_deployed_and_tested_in_the_lab():
    inv = load(LAB)
    deployed = {g for h in inv.hosts for g in host_groups(inv, h)}
    # the groups the playbooks target for a role of another name
    aliases = {"backup_clients": "backup_client", "vpn_hub": "vpn", "vpn_gateway": "vpn"}
    deployed |= {aliases[g] for g in deployed if g in aliases}
    for role, e2e in molecule.LAB_COVERED.items():
        assert role in deployed, role
        assert (REPO_ROOT / e2e).is_file(), e2e
    assert set(molecule.ci_roles()) | set(molecule.LAB_COVERED) == set(
        molecule.roles_with_scenarios())
    assert {"common", "hardening", "mail", "audit_scan"} <= set(molecule.ci_roles())
