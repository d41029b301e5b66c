"""The AWX side (docs/awx.md): the execution environment's build context, its Python
dependencies against requirements.txt, the collections the roles use, and the playbooks as AWX
runs them (from the repository root, with the root ansible.cfg, no extra environment)."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
EE_FILE = REPO / "execution-environment.yml"
BIN = Path(sys.executable).parent


def _ee() -> dict:
    return yaml.safe_load(EE_FILE.read_text(encoding="utf-8"))


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    """requirements.txt: canonical name -> pinned version."""
    pins = {}
    for raw in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            pins[_canonical(req.name)] = str(req.specifier).removeprefix("==")
    return pins


def _builder() -> str:
    tool = BIN / "ansible-builder"
    if tool.is_file():
        return str(tool)
    found = shutil.which("ansible-builder")
    if found is None:
        pytest.skip("ansible-builder is not installed (pip install -r requirements.txt)")
    return found


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ansible-builder create: the build context only, no registry, no build, no network."""
    out = tmp_path_factory.mktemp("ee-context")
    result = subprocess.run(
        [_builder(), "create", "--file", str(EE_FILE), "--context", str(out),
         "--output-filename", "Containerfile"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_containerfile_names_the_base_image(context: Path) -> None:
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    base = _ee()["images"]["base_image"]["name"]
    assert f'ARG EE_BASE_IMAGE="{base}"' in containerfile
    assert "FROM $EE_BASE_IMAGE AS base" in containerfile


def test_containerfile_installs_the_network_clients_and_the_project(context: Path) -> None:
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    python = (context / "_build" / "requirements.txt").read_text(encoding="utf-8").split()
    assert {"netmiko", "napalm"} <= {_canonical(Requirement(r).name) for r in python}
    # the user requirements are introspected and installed (assemble builds the wheels)
    assert "COPY _build/requirements.txt requirements.txt" in containerfile
    assert "RUN /output/scripts/assemble" in containerfile
    assert "COPY _build/bilgiislem-src /tmp/bilgiislem-src" in containerfile
    assert re.search(r"RUN \$PYCMD -m pip install .*--no-deps /tmp/bilgiislem-src",
                     containerfile)
    assert f"ansible-core=={_pins()['ansible-core']}" in containerfile


def test_context_holds_the_whole_package(context: Path) -> None:
    src = context / "_build" / "bilgiislem-src"
    assert (src / "pyproject.toml").read_text() == (REPO / "pyproject.toml").read_text()
    wanted = {p.relative_to(REPO) for p in (REPO / "bilgiislem").rglob("*.py")
              if "__pycache__" not in p.parts}
    copied = {p.relative_to(src) for p in (src / "bilgiislem").rglob("*.py")
              if "__pycache__" not in p.parts}
    assert wanted <= copied
    # what the inventory plugin needs in the image
    assert (src / "bilgiislem" / "inventory" / "ansible.py").is_file()


def test_context_lists_the_collections_and_system_packages(context: Path) -> None:
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    ours = yaml.safe_load((REPO / "collections" / "requirements.yml").read_text())
    assert galaxy == ours
    bindep = (context / "_build" / "bindep.txt").read_text()
    assert "openssh-clients [platform:rpm]" in bindep


def test_ee_python_packages_are_pinned_like_requirements_txt() -> None:
    """The image and the venv the tests run in cannot drift apart."""
    pins = _pins()
    deps = _ee()["dependencies"]
    problems = []
    for line in deps["python"]:
        req = Requirement(line)
        name = _canonical(req.name)
        if name not in pins:
            problems.append(f"{req.name} is in the execution environment but not in "
                            "requirements.txt")
        elif str(req.specifier) != f"=={pins[name]}":
            problems.append(f"{req.name}: {req.specifier or 'unpinned'} in the execution "
                            f"environment, =={pins[name]} in requirements.txt")
    core = Requirement(deps["ansible_core"]["package_pip"])
    if str(core.specifier) != f"=={pins['ansible-core']}":
        problems.append(f"ansible-core {core.specifier} against =={pins['ansible-core']}")
    assert not problems, "\n".join(problems)


def _closure(names: list[str]) -> set[str]:
    """The distributions ``names`` install, with everything they require (as installed
    here; extras left out)."""
    seen: set[str] = set()
    todo = [_canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.distribution(name).requires or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(_canonical(req.name))
    return seen


def test_ee_has_what_the_inventory_plugin_imports() -> None:
    """Every third-party module the plugin's code path imports comes with the image."""
    probe = textwrap.dedent("""
        import sys
        from pathlib import Path
        before = set(sys.modules)
        from bilgiislem.inventory.ansible import to_ansible
        to_ansible(Path(sys.argv[1]), None)
        names = {m.split(".")[0] for m in set(sys.modules) - before}
        print("\\n".join(sorted(n for n in names if n not in sys.stdlib_module_names
                                and not n.startswith("_") and n != "bilgiislem")))
    """)
    out = subprocess.run([sys.executable, "-c", probe, str(REPO / "inventory" / "lab")],
                         cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    modules = out.stdout.split()
    assert "pydantic" in modules
    providers = importlib.metadata.packages_distributions()
    deps = _ee()["dependencies"]
    have = _closure([Requirement(r).name for r in deps["python"]]
                    + [Requirement(deps["ansible_core"]["package_pip"]).name])
    missing = [m for m in modules
               if not any(_canonical(d) in have for d in providers.get(m, []))]
    # a compiled helper module, not a package of its own
    missing = [m for m in missing if m != "cython_runtime"]
    assert not missing, f"add the distributions of {missing} to execution-environment.yml"


FQCN = re.compile(r"\b([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z][a-z0-9_]*\b")


def test_every_collection_the_roles_use_is_listed() -> None:
    listed = {c["name"] for c in yaml.safe_load(
        (REPO / "collections" / "requirements.yml").read_text())["collections"]}
    used: dict[str, str] = {}
    files = [*(REPO / "roles").rglob("*.yml"), *(REPO / "roles").rglob("*.j2"),
             *(REPO / "playbooks").glob("*.yml")]
    for path in files:
        if "molecule" in path.parts:
            continue  # Molecule's own scenarios run from the venv, not in AWX
        for ns, coll in FQCN.findall(path.read_text(encoding="utf-8")):
            name = f"{ns}.{coll}"
            if ns in ("ansible", "community", "containers") and name != "ansible.builtin":
                used.setdefault(name, str(path.relative_to(REPO)))
    missing = {n: p for n, p in used.items() if n not in listed}
    assert not missing, f"add to collections/requirements.yml: {missing}"


def test_playbooks_pass_syntax_check_as_awx_runs_them() -> None:
    """AWX runs ansible-playbook in the repository root: the root ansible.cfg (inventory
    plugin, roles path) must be all it needs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    playbooks = sorted(str(p.relative_to(REPO)) for p in (REPO / "playbooks").glob("*.yml"))
    assert "playbooks/site.yml" in playbooks
    result = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", *playbooks],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
                            check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for playbook in playbooks:
        assert f"playbook: {playbook}" in output, output
