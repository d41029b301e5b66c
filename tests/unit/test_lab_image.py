"""The lab's images: which machine runs which, and the server image's packages."""

import re

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load
from bilgiislem.lab import image, manage

LAB = REPO_ROOT / "inventory" / "lab"


def _role_text(role: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for d in ("defaults", "vars", "tasks")
                     for p in sorted((REPO_ROOT / "roles" / role / d).glob("*.yml")))


def test_every_server_package_is_one_that_common_or_hardening_installs():
    text = _role_text("common") + _role_text("hardening")
    missing = [p for p in image.SERVER_PACKAGES
               if not re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)]
    assert missing == []


def test_server_image_is_the_base_recipe_plus_the_packages():
    assert image.SERVER.packages == image.BASE.packages
    assert image.SERVER.setup_script == image.BASE.setup_script
    assert image.SERVER.extra == image.SERVER_PACKAGES
    # a change of the package list makes a new image
    assert image.tag(image.SERVER) != image.tag(image.BASE)
    assert image.tag(image.SERVER).startswith("localhost/bilgiislem-server:bookworm-")


def test_servers_run_the_server_image_the_rest_the_base_image():
    p = manage.plan(load(LAB), "base:1", "pbx:1", "server:1")
    by_name = {h.name: h.image for h in p.hosts}
    assert by_name["srv-log"] == "server:1"
    assert by_name["gw-merkez"] == "server:1"
    assert by_name["srv-pbx"] == "pbx:1"  # sysvinit
    assert {w.image for w in p.workstations if not w.container.startswith("lab-tel-")} \
        == {"base:1"}
    assert {a.image for a in p.appliances} == {"base:1"}


def test_without_a_server_image_servers_run_the_base_image():
    p = manage.plan(load(LAB), "base:1", "pbx:1")
    assert {h.image for h in p.hosts if h.init == "systemd"} == {"base:1"}
