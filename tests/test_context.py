"""Each context feature of the engine, with positive and negative cases written by us.

Features are tested through the built-in rules, the way users meet them; each case names the
rule it is about, so a rule change that breaks a feature fails here with a clear message.
"""
from __future__ import annotations

import pytest

from conftest import needs_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypelint.linter import Linter
from hypelint.rules import load_packs

RULES = load_packs()
LINTER = Linter(RULES)


def codes(text: str, format: str = "markdown"):
    return [d.code for d in LINTER.lint_text(text, format=format) if not d.document_level]


def flagged(text: str, code: str, format: str = "markdown") -> bool:
    return code in codes(text, format)


# -- negation --------------------------------------------------------------------------------
@pytest.mark.parametrize("text,code", [
    ("This therapy is not FDA-approved.", "HL171"),
    ("There is no cure for pattern baldness.", "HL101"),
    ("Our clinic does not treat arthritis.", "HL103"),
    ("The treatment is yet to be FDA-approved.", "HL171"),
    ("It's not a guaranteed fix.", "HL121"),
    ("Stem cell therapies have not been approved to treat autism, cerebral palsy (CP), or stroke.", "HL111"),
    ("The serum cannot reverse hair loss.", "HL102"),
    ("We never promise miracle results.", "HL131"),
    ("No treatment is completely risk-free.", "HL151"),
    ("The FDA has not approved any product to treat COPD, emphysema, or heart failure.", "HL111"),
])
def test_negated_triggers_are_not_claims(text, code):
    assert not flagged(text, code), f"{code} fired on negated text: {text!r}"


@pytest.mark.parametrize("text,code", [
    ("Our serum has no side effects.", "HL151"),           # the trigger is itself a negation
    ("A quick procedure with no downtime.", "HL154"),
    ("Build stronger knees without surgery.", "HL182"),
    ("It's risk-free and natural.", "HL151"),
    ("With no side effects and no downtime, it reverses hair loss.", "HL102"),  # selling points do not negate
    ("It may help reverse hair loss.", "HL102"),           # a hedge is not a defence
    ("This oil might help relieve arthritis.", "HL103"),
    ("Our serum is not only about reversing thinning at the crown.", "HL102"),  # presupposition asserts the claim
    ("Not only does it cure dandruff, it shines.", "HL101"),
    ("Unlike drugs that don't work, our tonic cures colds.", "HL101"),  # the negation is in another clause
])
def test_claims_survive_negation_handling(text, code):
    assert flagged(text, code), f"{code} missed: {text!r}"


# -- attribution, caution frames and use-mention ----------------------------------------------
@pytest.mark.parametrize("text,code", [
    ("The FDA warns that clinics offering a miracle cure are breaking the law.", "HL131"),
    ('According to the FTC, ads that promise "guaranteed results" are deceptive.', "HL121"),
    ("Be wary of any clinic that claims stem cells reverse aging.", "HL102"),
    ("Watch out for products marketed as having no side effects.", "HL151"),
    ('A product that says it "cures" a disease is a drug.', "HL101"),
    ('Beware of claims such as "It cured my diabetes."', "HL111"),
    ("Some clinics promise to cure arthritis with a single injection.", "HL101"),
    ("Myth: stem cells cure baldness.", "HL101"),
])
def test_reported_and_cautioned_claims_are_not_the_authors(text, code):
    assert not flagged(text, code), f"{code} fired on reported text: {text!r}"


@pytest.mark.parametrize("text,code", [
    ('"It cured my back pain in a week," says Dana.', "HL101"),     # a quoted testimonial is still one
    ('Our patients say: "My hair is thicker than ever!"', "HL301"),
    ("Our FDA-approved clinic cures hair loss.", "HL171"),
])
def test_quotation_alone_is_not_a_defence(text, code):
    assert flagged(text, code), f"{code} missed: {text!r}"


# -- questions answered no -------------------------------------------------------------------
def test_question_answered_no_is_not_a_claim():
    assert not flagged("Can it cure baldness? No, but it can make thin hair look fuller.", "HL101")
    assert flagged("Can it cure baldness? Yes, in most patients.", "HL101")


# -- citation proximity ----------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Studies have shown a modest effect (Lee et al., 2021).",
    "Studies have shown a modest effect [1].",
    "Studies have shown a modest effect.[^1]\n\n[^1]: Lee, 2021.",
    "[Studies have shown](https://pubmed.ncbi.nlm.nih.gov/123/) a modest effect.",
    "Studies have shown a modest effect (doi:10.1000/abc123).",
    "Studies have shown a modest effect (PMID: 12345678).",
    "Studies have shown a modest effect. See the references below.\n\n## References\n\n1. Lee 2021.",
    "In one trial, 92% of patients improved (Kim et al., 2020).",
])
def test_citations_satisfy_evidence_rules(text):
    found = codes(text)
    assert "HL201" not in found and "HL211" not in found, (text, found)


def test_uncited_evidence_is_flagged_and_a_bare_journal_is_weaker():
    uncited = [d for d in LINTER.lint_text("Studies have shown a modest effect.", format="text") if d.code == "HL201"]
    assert uncited and str(uncited[0].severity) == "warning"
    journal = [d for d in LINTER.lint_text("Studies published in journals like Example Medicine have shown it works.",
                                           format="text") if d.code == "HL201"]
    assert journal and str(journal[0].severity) == "info"
    assert "journal" in journal[0].message.lower()


def test_link_to_a_non_source_in_another_sentence_does_not_count():
    text = "Studies have shown it works. [Book now](https://clinic.example.com/book)."
    assert flagged(text, "HL201")


# -- disclosures (document level) ------------------------------------------------------------
@pytest.mark.parametrize("disclosure", [
    "This treatment is not approved by the FDA.",
    "These statements have not been evaluated by the Food and Drug Administration.",
    "Exosome therapy is yet to be FDA-approved.",
    "The FDA has not approved stem cell therapy for hair loss.",
])
def test_regulatory_status_disclosure_is_recognised_by_meaning(disclosure):
    text = f"Our stem cell injections may thicken hair. {disclosure}"
    assert "HL901" not in [d.code for d in LINTER.lint_text(text, format="text")]


def test_missing_disclosure_is_reported_once_at_the_passage_that_calls_for_it():
    text = "---\ntitle: x\nlayout: page\n---\n\nOur exosome facial renews skin.\n\nBook today.\n"
    found = [d for d in LINTER.lint_text(text, path="page.md") if d.code == "HL901"]
    assert len(found) == 1 and found[0].document_level
    # the trigger, not the title (issue 18): "exosome" on line 6
    assert (found[0].line, found[0].column) == (6, 5) and found[0].matched.lower().startswith("exosome")


def test_disclosure_inside_an_html_comment_does_not_count():
    text = "Our exosome facial renews skin.\n\n<!-- This treatment is not approved by the FDA. -->\n"
    assert "HL901" in [d.code for d in LINTER.lint_text(text, path="page.md")]


def test_typical_results_disclosure_follows_testimonials():
    testimonial = '"After three sessions my bald spot was gone!" (Sam, 40)'
    assert "HL902" in [d.code for d in LINTER.lint_text(testimonial, format="text")]
    disclosed = testimonial + " Most patients see a modest change after six months."
    assert "HL902" not in [d.code for d in LINTER.lint_text(disclosed, format="text")]
    # "results may vary" alone is not a statement of generally expected results
    vague = testimonial + " Individual results may vary."
    assert "HL902" in [d.code for d in LINTER.lint_text(vague, format="text")]


def test_supplement_disclaimer_needs_the_regulation_text():
    claim = "Our magnesium capsules support healthy sleep."
    assert "HL903" in [d.code for d in LINTER.lint_text(claim, format="text")]
    paraphrase = claim + " Not evaluated by the FDA."
    assert "HL903" in [d.code for d in LINTER.lint_text(paraphrase, format="text")]
    full = claim + (" This statement has not been evaluated by the Food and Drug Administration. This product is"
                    " not intended to diagnose, treat, cure, or prevent any disease.")
    assert "HL903" not in [d.code for d in LINTER.lint_text(full, format="text")]


# -- disclaimer masking ----------------------------------------------------------------------
def test_recognised_disclaimers_never_trigger_claims():
    text = ("This product is not intended to diagnose, treat, cure, or prevent any disease. "
            "Individual results may vary. Consult your doctor before use if you have diabetes.")
    assert codes(text, "text") == []


# -- word senses -----------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Our deli sells cured meat and olives.",
    "Treat yourself to a facial this weekend.",
    "Enjoy safe checkout and fast shipping.",
    "Every order has a money-back guarantee.",
    "This conditioner helps prevent frizz.",
    "Cancer season starts on June 21: treat yourself to something new.",
    "We are proud supporters of the American Cancer Society and the Alzheimer's Association.",
])
def test_everyday_senses_are_not_health_claims(text):
    assert codes(text, "text") == [], text


# -- co-occurrence: serious disease + treatment framing, list lead-ins ------------------------
def test_serious_disease_needs_treatment_framing():
    (finding,) = [d for d in LINTER.lint_text("Our protocol helps children with autism.") if d.code == "HL103"]
    assert "(a serious condition)" in finding.message and finding.severity.name == "ERROR"
    assert flagged("Diabetes can be reversed with our program.", "HL102")
    assert codes("Diabetes affects millions of adults.") == []  # a condition named alone is no claim
    # "to treat" after the disease is the cost of care, not a claim that something treats it
    assert codes("About one in ten adults has diabetes, which costs billions to treat each year.") == []


def test_list_items_introduced_by_a_treatment_sentence_are_claims():
    text = "Conditions we treat with stem cells include:\n\n- COPD\n- Heart failure\n- Autism\n"
    found = [d for d in LINTER.lint_text(text, path="p.md") if d.code == "HL111"]
    assert [(d.line, d.matched) for d in found] == [(3, "COPD"), (4, "Heart failure"), (5, "Autism")]
    plain = "Facts about common conditions:\n\n- COPD\n- Heart failure\n"
    assert not [d for d in LINTER.lint_text(plain, path="p.md") if d.code == "HL111"]


# -- the enumeration strip inside the negation check --------------------------------------------
_ENUMERATION_WORDS = ["such as", "Such As", "including", "like", "LIKE", "li\u212ae", "\u017fuch as", "e.g.",
                      "e.g.,", "for example", "for example,", "from", "and", "Or", "to", "unlike", "hair,",
                      "loss;", "acne:", "eczema,", "X", "1,000", "a,b", "psoriasis", "\u0130ncluding", ",",
                      ";", "such", "as", "not", "approved", "for"]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ENUMERATION_WORDS), max_size=14), st.booleans())
def test_enumeration_strip_equals_the_pattern_search(words, glued):
    """_strip_enumeration tries the pattern only where a match can start: the result must be
    what a search at every position gives, on texts normalised as Context.negated does."""
    from hypelint import context

    joined = ("" if glued else " ").join(words)
    text = " ".join(joined.split()) + " "
    assert context._strip_enumeration(text) == context._ENUMERATION.sub("", text)


@needs_shared  # counts real pages of ../shared
def test_literal_gates_of_context_patterns_find_a_literal_in_every_match():
    """Context checks skip a pattern's search where its literal gate finds nothing: every match
    of those patterns must hold a literal the gate finds, on real pages and on wording written
    to match them."""
    from conftest import real_page_texts

    from hypelint import context
    from hypelint.prefilter import fold, literal_gate

    texts = real_page_texts()
    texts.append("Beware of scams and red flags: too good to be true. Don't be fooled by misleading claims. "
                 "The FDA says it cures nothing; according to the FTC, clinics that claim cures are scammers. "
                 "These statements have not been evaluated by the Food and Drug Administration. "
                 "Results may vary. Talk to your doctor. Mayo Clinic and the Stem Cell Institute agree. "
                 "We can't say it is not FDA approved, without doubt never \u017fcams \u212aNOWN \u0130T.")
    checked = 0
    for name in ("_GENRE", "_DISCLAIMER", "_ORGANISATION", "_ATTRIBUTION", "_CAUTION"):
        pattern = getattr(context, name)
        gate = literal_gate(pattern.pattern, pattern.flags)
        assert gate is not None, name
        for text in texts:
            folded = fold(text)
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    assert gate.search(folded, match.start(), match.end()), (name, match.group())
                    checked += 1
    assert checked > 100
