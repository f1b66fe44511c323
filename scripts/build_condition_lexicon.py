#!/usr/bin/env python3
"""Derive rulesets/lexicons/conditions-{serious,disease}.txt from the Human Disease Ontology (CC0 1.0).

usage: python scripts/build_condition_lexicon.py DISEASE_ONTOLOGY_DIR [OUTPUT_FOLDER]

DISEASE_ONTOLOGY_DIR holds `HumanDO.tsv` (id, label, parent label of every non-obsolete disease)
and `subsets/*.obo` (published subsets, whose `synonym: "..." EXACT` lines give exact synonyms);
in this project's workspace it is `../shared/data/disease-ontology`. The output is shipped in the
wheel; the input is not. Re-run this script, never edit the output by hand: curated lay names,
tiers and exclusions live in rulesets/lexicons/conditions.yaml.

Steps (recorded in the output's header):
1. every label of HumanDO.tsv and every EXACT synonym of the subsets (RELATED, BROAD and NARROW
   synonyms are dropped: they hold acronyms that are common words, "can", "all");
2. normalised: lowercase unless an acronym, curly apostrophes straightened; kept when at most four
   words with no comma, parenthesis, slash, digit at the start or ICD filler ("unspecified",
   "due to", "NOS", "type 1" is kept);
3. eponyms copy uses alone (SHORT_EPONYMS) also as short forms: "Alzheimer's disease" ->
   "Alzheimer's", "Alzheimers";
4. written as the linter tokenises text (lowercase runs of letters and digits joined by one
   space: "alzheimer s disease"), each with its regular plural, one file per tier, so that
   loading them is one set() of the file's lines;
5. tier: `serious` below the serious roots (cancer, diabetes, cardiovascular and infectious
   disease by a virus, dementia, autism...), `disease` otherwise; single lowercase words that are
   also everyday English (see EVERYDAY) are dropped, and so are acronyms and numbered subtypes
   ("... disease 15"): the acronyms copy uses (HIV, IBS, ADHD) are in the curated list, matched
   case-sensitively there.
"""
import csv
import glob
import os
import re
import sys
from collections import defaultdict

SERIOUS_ROOTS = {
    "cancer", "diabetes mellitus", "cardiovascular system disease", "autism spectrum disorder",
    "dementia", "viral infectious disease", "tuberculosis", "multiple sclerosis",
    "amyotrophic lateral sclerosis", "Parkinson's disease", "schizophrenia", "bipolar disorder",
    "chronic obstructive pulmonary disease", "kidney failure", "liver cirrhosis", "epilepsy",
    "major depressive disorder", "hepatitis", "stroke", "sepsis",
}
FILLER = re.compile(r"\b(?:unspecified|due to|nos|not elsewhere|other specified|with or without|"
                    r"associated with|caused by|related to|susceptibility|type [ivx]+[a-z]?|"
                    r"variant|deficiency of|isolated|familial|hereditary|congenital|autosomal|"
                    r"x-linked|syndrome type)\b", re.I)
# single words that are diseases in the ontology and everyday English elsewhere
EVERYDAY = set("""cold colds fever stroke shock burn burns cut cuts fall falls crush stress
    strain sprain obesity pain itch heat growth lead spots dependence abuse mania panic
    delirium ring weakness cramp cramps sting bite bites rash scar scars blister plague
    gas spasm tic tics mole moles cataract stone stones bleeding addiction apathy""".split())
EPONYM = re.compile(r"^([A-Z][a-z]+)(?:'s|s')? (disease|syndrome)$")
# eponyms that copy names without "disease" (others' short forms are ordinary names: "West's")
SHORT_EPONYMS = {"alzheimer", "parkinson", "crohn", "hashimoto", "graves", "raynaud", "huntington",
                 "addison", "cushing", "meniere", "peyronie", "tourette", "bell", "lyme"}


def words_ok(term: str) -> bool:
    if not term or len(term.split()) > 4 or re.search(r"[,()/\[\];:]", term):
        return False
    if term[0].isdigit() or FILLER.search(term):
        return False
    return bool(re.search(r"[A-Za-z]{3}", term))


def normalise(term: str) -> str:
    term = term.replace("\u2019", "'").replace("\u2018", "'").strip().strip('"').strip()
    words = term.split()
    # lowercase every word that is not an acronym or an eponym
    out = [w if (w.isupper() and len(w) > 1) or (w[:1].isupper() and ("'" in w or w[1:].islower() and i == 0 and False))
           else w.lower() for i, w in enumerate(words)]
    return " ".join(out)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "rulesets", "lexicons")
    parent = {}
    labels = []
    with open(os.path.join(source, "HumanDO.tsv"), encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) < 2 or row[0] == "id":
                continue
            label, up = row[1].strip('"'), (row[2].strip('"') if len(row) > 2 else "")
            parent.setdefault(label, up)
            labels.append(label)

    def serious(label: str) -> bool:
        seen = set()
        while label and label not in seen:
            if label in SERIOUS_ROOTS:
                return True
            seen.add(label)
            label = parent.get(label, "")
        return False

    names = defaultdict(set)  # term -> tiers
    for label in labels:
        names[label].add("serious" if serious(label) else "disease")
    current = None
    for path in sorted(glob.glob(os.path.join(source, "subsets", "*.obo"))):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("name: "):
                    current = line[6:].strip()
                elif line.startswith("synonym: ") and " EXACT" in line and current:
                    synonym = line.split('"')[1]
                    names[synonym].add("serious" if serious(current) else "disease")
                elif not line.strip():
                    current = None
    entries = {}
    for raw, tiers in names.items():
        tier = "serious" if "serious" in tiers else "disease"
        raw = raw.replace("\u2019", "'")
        if not words_ok(raw):
            continue
        words = raw.split()
        acronym = len(words) == 1 and raw.isupper()
        if acronym or re.search(r"[A-Z]{2}", raw) or re.search(r"\s(?:\d+[a-z]?|[a-z])$", raw.lower()):
            continue  # acronyms and numbered subtypes: the curated list has the ones copy uses
        term = " ".join(w if re.fullmatch(r"[A-Z][a-z]+(?:'s)?", w) and i == 0 and EPONYM.match(raw) else w.lower()
                        for i, w in enumerate(words))
        term = term.lower()
        if len(words) == 1 and term in EVERYDAY:
            continue
        entries.setdefault(term, tier)
        match = EPONYM.match(raw)
        if match and match.group(1).lower() in SHORT_EPONYMS:
            name = match.group(1).lower()
            for short in (f"{name}'s", f"{name}s", f"{name}'s {match.group(2)}", f"{name} {match.group(2)}"):
                entries.setdefault(short, tier)
    token = re.compile(r"[^\W_]+")
    for tier in ("serious", "disease"):
        forms = set()
        for term, term_tier in entries.items():
            if term_tier != tier:
                continue
            words = token.findall(term.lower())
            if words[0] in ("a", "an", "the", "of", "in", "on", "to", "and", "or", "with", "for"):
                continue  # an article would make every "a" in a text a candidate
            forms.add(" ".join(words))
            if not words[-1].endswith("s") and words[-1].isalpha():
                forms.add(" ".join(words[:-1] + [words[-1] + "s"]))
        path = os.path.join(output, f"conditions-{tier}.txt")
        with open(path, "w", encoding="utf-8") as out:
            out.write(f"# conditions-{tier}: {tier}-tier disease names for the `condition` lexicon (hypelint lexicon condition)\n")
            out.write("# source: Human Disease Ontology, DiseaseOntology/HumanDiseaseOntology (HumanDO.tsv and the\n")
            out.write("#   published subsets' EXACT synonyms), CC0 1.0; credit: the Disease Ontology project.\n")
            out.write("# derived by scripts/build_condition_lexicon.py (filters and tiers are described there);\n")
            out.write("# do not edit by hand. One form a line, as tokenised text: lowercase words joined by a space.\n")
            out.write("\n".join(sorted(forms)) + "\n")
        print(f"wrote {len(forms)} forms to {path}")


if __name__ == "__main__":
    main()
