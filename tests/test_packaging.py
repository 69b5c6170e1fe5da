"""The folders at the repository root install as one package ``mi`` with ``pip install .``,
not only as an editable install: a plain install into a folder of its own runs ``mi``."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_listed_for_installation() -> None:
    """A new subfolder with an __init__.py that pyproject.toml does not list would be left
    out of ``pip install .`` while the editable install still finds it."""
    found = set()
    for package, folder in SETUPTOOLS["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((package, *parts)))
    assert found == set(SETUPTOOLS["packages"])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy: setuptools builds in the source tree, and a build/ left in the checkout
    # would be both litter and stale input to the next build (a deleted module still in it).
    source = tmp_path_factory.mktemp("source") / "tree"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "build", "*.egg-info", ".pytest_cache", "__pycache__", "tests", "snapshot", "docs",
        "bench", "scripts"))
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                           str(source)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def test_a_plain_install_holds_every_module_and_its_data(installed: Path) -> None:
    sources = {path.relative_to(ROOT / folder).with_suffix("").parts
               for name, folder in SETUPTOOLS["package-dir"].items() if name != "mi"
               for path in (ROOT / folder).rglob("*.py")}
    for parts in sources:
        assert any((installed / "mi" / folder / Path(*parts)).with_suffix(".py").exists()
                   for folder in {f for n, f in SETUPTOOLS["package-dir"].items() if n != "mi"}), parts
    assert (installed / "mi" / "warehouse" / "migrations" / "env.py").exists()
    assert list((installed / "mi" / "reference" / "data").glob("*.csv"))
    assert (installed / "mi" / "analysis" / "data" / "sentiment_train.csv").exists()


def test_the_installed_mi_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed), "MI_PROJECT_DIR": str(ROOT), "MI_DATA_DIR": str(tmp_path)}
    env.pop("MI_DATABASE_URL", None)
    where = subprocess.run([sys.executable, "-c", "import mi.flows.daily as d; print(d.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0 and where.stdout.strip().startswith(str(installed)), where.stderr[-2000:]
    feed = ROOT / "snapshot" / "feeds" / "guardian.rss"
    shown = subprocess.run([sys.executable, "-c", "from mi.cli import main; main()", "inspect", "feed", str(feed),
                            "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    parsed = json.loads(shown.stdout)
    assert parsed["items"] and parsed["error"] is None
    listed = subprocess.run([sys.executable, "-c", "from mi.cli import main; main()", "channels", "--format", "json"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr[-2000:]
