"""Document-level findings point at the passage that triggered them and name it; suggestions
fit the matched subject (issue 18, point 9)."""
from __future__ import annotations

import textwrap

from hypelint.linter import Linter
from hypelint.rules import load_packs
from hypelint.suggestions import fitting_suggestions

PACK = textwrap.dedent("""\
    rules:
      - code: TD101
        name: drip-claim
        category: claim.cure
        severity: warning
        message: '"{match}" is a treatment claim.'
        rationale: test
        references: [{title: T, url: 'https://example.com'}]
        patterns: [{phrases: [iv drips, stem cells]}]
        suggestions:
          - 'Describe the service.'
          - '"may improve the look of thinning hair" instead of "cures baldness".'
        examples: {bad: ['Try [[IV drips]].'], good: ['Drink water.']}
      - code: TD901
        name: unapproved-disclosure
        category: disclosure.regulatory-status
        severity: warning
        scope: document
        message: 'Promotes an unapproved therapy ("{match}") without saying so.'
        rationale: test
        references: [{title: T, url: 'https://example.com'}]
        patterns: []
        triggered-by: [TD101]
        requires: [{phrases: [not approved]}]
        suggestions: ['Add near the offer a statement that this use of {match} is not approved by the FDA.']
        examples: {bad: ['Try IV drips.'], good: ['Try IV drips. They are not approved.']}
    """)


def test_document_finding_points_at_the_trigger_and_names_it(tmp_path):
    (tmp_path / "pack.yaml").write_text(PACK)
    linter = Linter(load_packs([str(tmp_path / "pack.yaml")]))
    text = "<html><head><title>Wellness</title></head><body>\n<p>Relax with us.</p>\n<p>Book IV drips today.</p>\n</body></html>\n"
    [finding] = [d for d in linter.lint_text(text, format="html") if d.code == "TD901"]
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (3, 9, 3, 17)
    assert text[finding.start:finding.end] == "IV drips" and "</title>" not in text[finding.start:finding.end]
    assert finding.document_level
    assert finding.message == 'Promotes an unapproved therapy ("IV drips") without saying so.'
    assert finding.suggestions == ("Add near the offer a statement that this use of IV drips is not approved by the FDA.",)


def test_suggestions_written_for_another_subject_are_left_out():
    suggestions = ["Describe the service.", '"may improve the look of thinning hair" instead of "cures baldness".',
                   '"may slow further shedding" instead of "reverses hair loss".']
    assert fitting_suggestions(suggestions, "cures", "Our cream cures arthritis.") == ("Describe the service.",)
    assert fitting_suggestions(suggestions, "cures", "Our serum cures baldness.") == tuple(suggestions[:2])
    assert fitting_suggestions(suggestions, "reverse hair loss", "We reverse hair loss.") == (
        suggestions[0], suggestions[2])
    plain = ("Say what the evidence shows.",)
    assert fitting_suggestions(plain, "x", "y") == plain
