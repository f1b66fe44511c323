"""Lexicons and frames: inflection, the slot grammar, clause bounds, team packs, the CLI."""
from __future__ import annotations

import json
import textwrap

import pytest

from hypelint.cli import main
from hypelint.errors import RuleError
from hypelint.linter import Linter
from hypelint.rules import RuleSet, load_ruleset_file
from hypelint.rules.frames import Tokens, describe_parts, find_frames, parse_frame
from hypelint.rules.lexicon import builtin_lexicons, inflect
from hypelint.sources import parse

LEXICONS = builtin_lexicons()


@pytest.mark.parametrize("lemma,pos,forms", [
    ("stop", "verb", ["stop", "stops", "stopped", "stopping"]),
    ("relieve", "verb", ["relieve", "relieves", "relieved", "relieving"]),
    ("carry", "verb", ["carry", "carries", "carried", "carrying"]),
    ("get rid of", "verb", ["get rid of", "gets rid of", "getted rid of", "getting rid of"]),
    ("yeast infection", "noun", ["yeast infection", "yeast infections"]),
    ("herpes", "noun", ["herpes"]),
    ("rash", "noun", ["rash", "rashes"]),
    ("anti-inflammatory", "adjective", ["anti-inflammatory"]),
])
def test_inflections_are_generated(lemma, pos, forms):
    assert inflect(lemma, pos) == forms


def _matches(frame: str, text: str):
    document = parse(text, "x.md", "markdown")
    tokens = Tokens(document.mask, LEXICONS)
    return [document.mask[m.start:m.end] for m in find_frames([parse_frame(frame, LEXICONS)], tokens,
                                                                   document.sentence_at)]


@pytest.mark.parametrize("frame,text,expected", [
    ("@effect ~5 @condition", "Our drops worked to knock out my sinus infections.", ["knock out my sinus infections"]),
    ("@effect ~5 @condition", "It knocked out the flu.", ["knocked out the flu"]),
    ("@effect ~1 @condition", "It fights, we think, the flu.", []),            # a gap is bounded
    ("@effect ~5 @condition", "It fights hard; the flu is gone.", []),         # and stays in its clause
    ("@effect ~5 @condition", "It fights hard. The flu is gone.", []),
    ("@effect ~5 @condition[serious]", "It eases acne.", []),                  # tiers filter
    ("@effect ~5 @condition[serious]", "It eases diabetes.", ["eases diabetes"]),
    ("@drug-action @product-noun", "Try Anti Viral Drops and antiviral drops.", ["Anti Viral Drops", "antiviral drops"]),
    ("^ ~2 @drug-action $", "# Full Body Antibiotic\n\nAntibiotics are overused by some.", ["Full Body Antibiotic"]),
    ("<be> ~1 @minimiser", "Risks are very low and were minimal.", ["are very low", "were minimal"]),
    ("no|zero @condition", "With HIV, not with hiv.", []),                     # acronyms are case-sensitive
    ("@effect ~2 @condition", "It treats HIV and hiv.", ["treats HIV"]),
])
def test_frames_match_by_meaning_within_a_clause(frame, text, expected):
    assert _matches(frame, text) == expected


@pytest.mark.parametrize("frame,error", [
    ("@nosuch ~2 @condition", "unknown lexicon @nosuch"),
    ("~2 @condition", "cannot start or end with a gap"),
    ("@condition? @effect", "not optional"),
    ("@condition[grave]", "unknown tier"),
    ("@effect don't", "cannot read slot"),
    ("", "non-empty"),
])
def test_bad_frames_are_rejected(frame, error):
    with pytest.raises(ValueError, match=error):
        parse_frame(frame, LEXICONS)


def test_parts_name_the_lexicon_words():
    document = parse("This tonic attacks herpes.", "x.md", "markdown")
    found = find_frames([parse_frame("@effect ~3 @condition", LEXICONS)], Tokens(document.mask, LEXICONS),
                        document.sentence_at)
    assert describe_parts(found[0].parts) == "effect 'attacks' + condition 'herpes' (a serious condition)"


def test_message_names_the_parts_and_a_serious_tier_raises_severity():
    linter = Linter(select=["HL112"])
    (finding,) = linter.lint_text("It gives harder erections.")
    assert "change 'harder' + sexual function 'erections'" in finding.message
    assert finding.severity.name == "WARNING"
    (hl103,) = Linter(select=["HL103"]).lint_text("Our tea attacks herpes.")
    assert "condition 'herpes' (a serious condition)" in hl103.message


PACK = textwrap.dedent("""\
    pack: house
    lexicons:
      condition: [{lemma: winter blues, tier: disease}]
      our-product: {pos: name, entries: [Glowix, Calmix]}
    rules:
      - code: HOUSE101
        name: product-cures
        category: claim.cure
        severity: error
        message: '"{match}" says our product treats a condition ({parts}).'
        rationale: Our products are cosmetics.
        references: [{title: 21 CFR 101.93(g), url: 'https://www.ecfr.gov/current/title-21/part-101/section-101.93'}]
        frames: ['@our-product ~4 @effect ~3 @condition']
        examples:
          bad: ['[[Glowix quickly clears winter blues]].']
          good: ['Glowix smells of oranges.']
    """)


def test_team_packs_use_frames_and_extend_lexicons(tmp_path):
    path = tmp_path / "house.yaml"
    path.write_text(PACK, encoding="utf-8")
    (rule,) = load_ruleset_file(path)
    found = Linter(RuleSet([rule])).lint_text("Calmix clears up winter blues fast. Glowix is a soap.")
    assert [d.matched for d in found] == ["Calmix clears up winter blues"]
    assert "our product 'Calmix'" in found[0].message
    # the extension is the pack's own: the shipped lexicon is unchanged
    assert "winter blues" not in {entry.lemma for entry in builtin_lexicons().lexicons["condition"].entries}


@pytest.mark.parametrize("change,error", [
    ("frames: ['@our-product ~4 @nosuch']", "HOUSE101: frame '@our-product ~4 @nosuch': unknown lexicon @nosuch"),
    ("frames: []", "'frames' must be a non-empty list"),
])
def test_frame_errors_name_the_pack_file_and_line(tmp_path, change, error):
    path = tmp_path / "house.yaml"
    path.write_text(PACK.replace("frames: ['@our-product ~4 @effect ~3 @condition']", change), encoding="utf-8")
    with pytest.raises(RuleError, match=error) as raised:
        load_ruleset_file(path)
    assert str(path) in str(raised.value)


def test_lexicon_entry_errors_name_the_line(tmp_path):
    path = tmp_path / "house.yaml"
    path.write_text(PACK.replace("[{lemma: winter blues, tier: disease}]", "[{lemma: winter blues, tier: grave}]"),
                    encoding="utf-8")
    with pytest.raises(RuleError, match="unknown tier 'grave'"):
        load_ruleset_file(path)


def test_lexicon_command_lists_and_prints(capsys):
    assert main(["lexicon"]) == 0
    listing = capsys.readouterr().out
    assert "condition" in listing and "effect" in listing
    assert main(["lexicon", "effect"]) == 0
    out = capsys.readouterr().out
    assert "fight  (verb)" in out and "fought" in out and "licence: MIT" in out
    assert main(["lexicon", "condition", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "Disease Ontology" in data["source"] and any(e["tier"] == "serious" for e in data["entries"])
    assert main(["lexicon", "nosuch"]) == 2
    assert "unknown lexicon 'nosuch'" in capsys.readouterr().err


def test_rule_command_shows_frames(capsys):
    assert main(["rule", "HL109"]) == 0
    out = capsys.readouterr().out
    assert "## Frames" in out and "@drug-action and|or? @drug-action? @product-noun" in out


def test_the_condition_lexicon_is_large_and_sourced():
    condition = LEXICONS.lexicons["condition"]
    derived = sum(len(forms) for forms in condition.bulk.values())
    assert derived > 10_000 and len(condition.entries) > 300
    assert "CC0" in condition.licence
