"""The shared evaluation script runs against the installed CLI (skipped without ../shared)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import SHARED

SCORE = SHARED / "eval" / "score.py"


@pytest.mark.skipif(not SCORE.exists(), reason="../shared/eval/score.py not present")
def test_score_script_runs_against_the_cli():
    command = f"{sys.executable} -m hypelint check --format json"
    result = subprocess.run([sys.executable, str(SCORE), "--gold", str(SHARED / "corpus" / "gold"),
                             "--texts", str(SHARED / "corpus"), "--cmd", command],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    assert re.search(r"recall=\d\.\d\d \(\d+/\d+\) hardFP=\d+ softFP=\d+ document=\d+/\d+", result.stdout)
