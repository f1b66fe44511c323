"""Reporters turn diagnostics into output text. Each is `render(report: Report) -> str`.

Register new formats in FORMATS ("name": "module:function"); modules load lazily.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from ..diagnostic import Diagnostic
from ..rules import RuleSet

FORMATS: Dict[str, str] = {
    "text": "text:render",
    "json": "json:render",
    "html": "html:render",
}


@dataclass
class Report:
    """Everything a reporter may need about a finished run."""

    diagnostics: List[Diagnostic]
    rules: Optional[RuleSet] = None
    files: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    # path -> the text the diagnostics' positions point into; reporters that show the copy (html) need it
    texts: Dict[str, str] = field(default_factory=dict)


def reporter(name: str) -> Callable[[Report], str]:
    module_name, function = FORMATS[name].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, function)
