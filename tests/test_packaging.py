"""The built wheel carries the rulesets, and an installed hypelint finds them from anywhere."""
from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    [path] = list(out.glob("hypelint-*.whl"))
    return path


def test_wheel_contains_rulesets(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "hypelint/rulesets/core.yaml" in names
    assert "hypelint/cli.py" in names
    assert {"hypelint/reporters/assets/report.css", "hypelint/reporters/assets/report.js"} <= set(names)


def test_installed_wheel_runs_from_another_directory(wheel, tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    bin_dir = environment / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(bin_dir / "hypelint"), "check", str(ROOT / "examples")],
                            capture_output=True, text=True, cwd=elsewhere)
    assert result.returncode == 1, result.stderr
    assert "HL101" in result.stdout
    located = subprocess.run([str(bin_dir / "python"), "-c",
                              "from hypelint.rules.load import builtin_directory; print(builtin_directory())"],
                             capture_output=True, text=True, cwd=elsewhere)
    assert str(environment) in located.stdout
    # without the `lsp` extra the language server explains how to get it
    server = subprocess.run([str(bin_dir / "hypelint-lsp")], capture_output=True, text=True, cwd=elsewhere)
    assert server.returncode == 2 and "pip install 'pygls>=2.0,<3'" in server.stderr
