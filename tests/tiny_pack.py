"""A tiny ruleset written by the API, records and integration tests, so their expectations do not
move when the built-in packs change. Two made-up words: "zapfix" (an error) and "glowmax" (a
warning)."""
from __future__ import annotations

from pathlib import Path

TINY_PACK = """\
pack: tiny
rules:
  - code: TST101
    name: zapfix-claim
    category: claim.cure
    severity: error
    message: '"{match}" is a zapfix claim.'
    rationale: Test rule.
    references: [{title: Test, url: 'https://example.com/zapfix'}]
    patterns: ['zapfix(?:es|ed)?']
    suggestions: [Say what it does instead.]
    examples: {bad: ['It [[zapfixes]] skin.'], good: ['It soothes skin.']}
  - code: TST201
    name: glowmax-claim
    category: claim.puffery
    severity: warning
    message: '"{match}" is glowmax hype.'
    rationale: Test rule.
    references: [{title: Test, url: 'https://example.com/glowmax'}]
    patterns: [{phrases: [glowmax, glow max]}]
    examples: {bad: ['Pure [[glowmax]].'], good: ['Pure glow.']}
"""


def write_tiny_config(directory: Path) -> Path:
    """Write tiny.yaml and a .hypelint.yaml extending only it; returns the config path."""
    (directory / "tiny.yaml").write_text(TINY_PACK, encoding="utf-8")
    config = directory / ".hypelint.yaml"
    config.write_text("extends: [tiny.yaml]\n", encoding="utf-8")
    return config


# A team's own pack ("compliance/house-rules.yaml"), for the configuration, pre-commit and team
# pack tests: HR101 flags "miracle", HR102 "cures".
HOUSE_MIRACLE_PACK = """\
pack: house
rules:
  - code: HR101
    name: house-miracle
    category: claim.puffery
    severity: error
    message: '"{match}" is hype.'
    rationale: House style.
    references: [{title: House style, url: 'https://example.com/house'}]
    patterns: [{phrases: [miracle]}]
    examples:
      bad: ['This [[miracle]] serum cures baldness with no side effects.']
      good: ['A gentle serum.']
"""
HOUSE_PACK = HOUSE_MIRACLE_PACK + """\
  - code: HR102
    name: house-cure
    category: claim.cure
    severity: error
    message: '"{match}" is a cure claim.'
    rationale: House style.
    references: [{title: House style, url: 'https://example.com/house'}]
    patterns: [{phrases: [cures]}]
    examples:
      bad: ['It [[cures]].']
      good: ['It soothes.']
"""
