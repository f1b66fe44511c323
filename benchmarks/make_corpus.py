#!/usr/bin/env python3
"""Generate a deterministic Markdown corpus of health-marketing pages for the benchmarks.

Every byte comes from this file's own word lists and a seeded random generator, so the same
arguments always give the same files, on any machine and Python version (3.9+). Pages look like
a clinic or supplement site: YAML front matter, headings, paragraphs, bullet and numbered
lists, tables, links and images, quoted testimonials, code fences and HTML comments. About one
sentence in seven makes a claim of the kinds hypelint's rules look for (cure, guarantee, safety,
proof, regulatory status, studies, urgency, testimonials, miracle...), some of them negated,
hedged or followed by a citation, and some near-misses ("cured ham", "risk-free trial").

    python benchmarks/make_corpus.py OUT --preset full     # ~10 MB over ~2,000 files
    python benchmarks/make_corpus.py OUT --preset single   # one ~20 KB file
    python benchmarks/make_corpus.py OUT --size-mb 1 --files 200 --seed 3

Only standard-library modules are used, so the corpus can be made before any install.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
from typing import Dict, List, Tuple

PRESETS: Dict[str, Tuple[float, int]] = {
    # name: (total size in MB, number of files)
    "single": (0.02, 1),
    "small": (1.0, 200),
    "full": (10.0, 2000),
}
MANIFEST = "corpus.json"
GENERATOR_VERSION = 1  # bump when the generated text changes, so old corpora are rebuilt

SECTIONS = ["treatments", "blog", "products", "conditions", "locations", "faq", "about"]
TOPICS = [
    ("hair restoration", "hair loss", "scalp serum"), ("stem cell therapy", "knee pain", "stem cell injections"),
    ("joint care", "arthritis", "collagen chews"), ("skin renewal", "wrinkles", "peptide cream"),
    ("sleep support", "insomnia", "magnesium blend"), ("weight management", "belly fat", "metabolism drops"),
    ("IV hydration", "fatigue", "vitamin drip"), ("gut health", "bloating", "probiotic capsules"),
    ("PRP facials", "acne scars", "platelet-rich plasma facial"), ("immune support", "colds", "elderberry syrup"),
    ("memory support", "brain fog", "nootropic gummies"), ("back care", "sciatica", "spinal decompression"),
    ("men's vitality", "low energy", "testosterone booster"), ("exosome therapy", "thinning hair", "exosome treatment"),
]
NOUNS = """clinic team program routine session visit plan formula blend serum cream capsule tincture
    massage consultation appointment schedule practitioner nurse coach specialist package membership
    result week month morning evening habit lifestyle diet walk stretch breathing hydration protein
    fiber vitamin mineral extract ingredient label bottle dose portion recipe guide checklist newsletter
    community review question answer policy location parking therapist follow-up assessment""".split()
ADJECTIVES = """gentle daily simple friendly modern natural calm clean fresh balanced light warm weekly
    personal careful practical local seasonal thoughtful quick relaxing comfortable private flexible
    affordable small detailed honest clear quiet bright organic plant-based""".split()
VERBS = """supports complements explains describes includes covers reviews schedules tracks measures
    answers lists combines fits organises improves simplifies shows prepares follows outlines""".split()
PEOPLE = ["our nurses", "the front desk", "your coach", "our pharmacist", "the care team", "a specialist",
          "our founder", "the clinic director", "many members", "new visitors"]
PLACES = ["Austin", "Denver", "Leeds", "Brisbane", "Toronto", "Cork", "Porto", "Utrecht", "Tampa", "Perth"]
NAMES = ["Maria", "Dev", "Aiko", "Tom", "Priya", "Luca", "Grace", "Omar", "Hana", "Sven", "Ines", "Kofi"]

# Claims, written for this corpus, spread over the categories the rule packs cover. "{p}" is the
# product, "{c}" the condition.
CLAIMS = [
    "Our {p} cures {c} for good.", "The {p} reverses {c} in weeks.", "Finally, a natural cure for {c}.",
    "Results are guaranteed or you pay nothing.", "It is guaranteed to work on stubborn {c}.",
    "The {p} works for everyone, every time.", "It is 100% effective against {c}.",
    "There are no side effects at all.", "The {p} is completely safe for the whole family.",
    "Enjoy a risk-free path to relief from {c}.", "It is safe and effective for all ages.",
    "Our {p} is clinically proven to restore energy.", "The formula is scientifically proven.",
    "This is the only FDA-approved clinic in the region.", "Every batch is approved by the FDA.",
    "Studies have shown that the {p} calms {c}.", "Research proves that our method beats {c}.",
    "Scientists have found the root cause of {c}.", "This miracle {p} changes everything.",
    "It is a breakthrough treatment for {c}.", "Doctors recommend the {p} to their own families.",
    "Recommended by leading physicians nationwide.", "Act now: only three spots left this week!",
    "Hurry, this offer ends at midnight.", "{n} says the {p} cured her {c} in ten days.",
    "Before and after photos prove the {p} works.", "It is the best treatment for {c} on the market.",
    "Our stem cell injections regrow cartilage.", "Exosomes rebuild damaged tissue naturally.",
    "Throw away your prescriptions: the {p} replaces medication.", "It works better than surgery.",
    "95% of clients saw results in two weeks.", "Nine out of ten patients were pain free.",
    "The {p} detoxes your liver and boosts immunity.", "It prevents {c} before it starts.",
    "You will never suffer from {c} again.", "It heals {c} from the inside out.",
    "Lose 20 pounds in 10 days without dieting.", "It shrinks tumours without chemotherapy.",
    "The {p} treats anxiety and depression.", "It lowers blood sugar so you can stop insulin.",
]
# Near-misses and context the rules must leave alone (or that context checks must recognise).
SAFE_VARIANTS = [
    "Our {p} does not cure {c}, and no product can promise that.",
    "The {p} is not FDA-approved; ask your doctor whether it suits you.",
    "Studies have shown mixed results (Okafor et al., 2021, doi:10.1000/bench.{k}).",
    "A 12-week trial found a small change in {c} (Lindqvist 2019, https://example.org/trial/{k}).",
    "Try the {p} with our risk-free trial and free returns.",
    "The deli counter sells cured ham and dry-cured salmon.",
    "Every order includes a money-back guarantee.",
    "Possible side effects include mild redness for a day.",
    "These statements have not been evaluated by the Food and Drug Administration.",
    "This product is not intended to diagnose, treat, cure, or prevent any disease.",
    "Results vary; most clients notice little change in the first month.",
    "This page is general information, not medical advice.",
]


class Writer:
    """Builds one page from a seeded generator."""

    def __init__(self, rng: random.Random, topic: Tuple[str, str, str], index: int):
        self.rng = rng
        self.service, self.condition, self.product = topic
        self.index = index

    def words(self, low: int, high: int) -> str:
        rng = self.rng
        return " ".join(rng.choice(NOUNS + ADJECTIVES) for _ in range(rng.randint(low, high)))

    def neutral_sentence(self) -> str:
        rng = self.rng
        shapes = [
            lambda: f"{rng.choice(PEOPLE).capitalize()} {rng.choice(VERBS)} the {rng.choice(ADJECTIVES)} "
                    f"{rng.choice(NOUNS)} for each {rng.choice(NOUNS)}.",
            lambda: f"Our {self.service} {rng.choice(NOUNS)} {rng.choice(VERBS)} a {rng.choice(ADJECTIVES)} "
                    f"{rng.choice(NOUNS)} and a {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}.",
            lambda: f"Many people with {self.condition} ask about the {self.product} during a "
                    f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}.",
            lambda: f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} takes about {rng.randint(10, 90)} minutes, "
                    f"and {rng.choice(PEOPLE)} {rng.choice(VERBS)} the {rng.choice(NOUNS)} with you.",
            lambda: f"Visit us in {rng.choice(PLACES)} for a {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}; "
                    f"{rng.choice(PEOPLE)} will {rng.choice(VERBS)[:-1]} the {rng.choice(NOUNS)}.",
            lambda: f"A {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}, a {rng.choice(ADJECTIVES)} "
                    f"{rng.choice(NOUNS)} and some {rng.choice(NOUNS)} make a {rng.choice(ADJECTIVES)} start.",
        ]
        return _articles(rng.choice(shapes)())

    def fill(self, template: str) -> str:
        return template.format(p=self.product, c=self.condition, n=self.rng.choice(NAMES),
                               k=self.rng.randint(100, 999))

    def sentence(self) -> str:
        roll = self.rng.random()
        if roll < 0.15:  # about one sentence in seven makes a claim
            return self.fill(self.rng.choice(CLAIMS))
        if roll < 0.20:
            return self.fill(self.rng.choice(SAFE_VARIANTS))
        return self.neutral_sentence()

    def inline_markup(self, sentence: str) -> str:
        """Sometimes add emphasis, a link or inline code around a few words."""
        rng = self.rng
        roll = rng.random()
        words = sentence.split(" ")
        if len(words) < 4 or roll > 0.35:
            return sentence
        at = rng.randrange(1, len(words) - 2)
        if roll < 0.12:
            words[at] = f"**{words[at]}**"
        elif roll < 0.22:
            words[at] = f"[{words[at]} {words[at + 1]}](https://example.com/{self.service.replace(' ', '-')}/{rng.randint(1, 99)})"
            del words[at + 1]
        elif roll < 0.28:
            words[at] = f"_{words[at]}_"
        else:
            words[at] = f"`{words[at]}`"
        return " ".join(words)

    def paragraph(self) -> str:
        count = self.rng.randint(2, 6)
        return " ".join(self.inline_markup(self.sentence()) for _ in range(count))

    def wrapped(self, text: str, width: int = 96) -> str:
        lines, line = [], ""
        for word in text.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        return "\n".join(lines)

    def front_matter(self, title: str) -> str:
        rng = self.rng
        tags = ", ".join(sorted({rng.choice(NOUNS) for _ in range(3)}))
        return (f"---\ntitle: \"{title}\"\ndescription: \"{self.neutral_sentence()}\"\n"
                f"date: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\nauthor: {rng.choice(NAMES)}\n"
                f"tags: [{tags}]\nslug: {self.service.replace(' ', '-')}-{self.index}\n---\n")

    def bullet_list(self) -> str:
        ordered = self.rng.random() < 0.3
        items = []
        for number in range(1, self.rng.randint(3, 7)):
            marker = f"{number}." if ordered else "-"
            items.append(f"{marker} {self.inline_markup(self.sentence())}")
            if self.rng.random() < 0.15:
                items.append(f"   - {self.sentence()}")
        return "\n".join(items)

    def table(self) -> str:
        rng = self.rng
        rows = ["| Option | What it involves | Price |", "| --- | --- | ---: |"]
        for _ in range(rng.randint(2, 5)):
            cell = self.sentence() if rng.random() < 0.5 else self.words(2, 6)
            rows.append(f"| {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} | {cell} | ${rng.randint(20, 900)} |")
        return "\n".join(rows)

    def quote(self) -> str:
        body = self.wrapped(f"\"{self.sentence()} {self.sentence()}\" - {self.rng.choice(NAMES)}, {self.rng.choice(PLACES)}", 80)
        return "\n".join("> " + line for line in body.split("\n"))

    def code_fence(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return ("```json\n{\n  \"@type\": \"MedicalBusiness\",\n"
                    f"  \"name\": \"{self.service} {rng.choice(PLACES)}\",\n"
                    f"  \"description\": \"{self.fill(rng.choice(CLAIMS))}\"\n}}\n```")
        return (f"```html\n<div class=\"promo\">{self.fill(rng.choice(CLAIMS))}</div>\n"
                f"<script src=\"/js/booking-{rng.randint(1, 9)}.js\"></script>\n```")

    def image(self) -> str:
        return f"![{self.words(2, 5)}](/images/{self.service.replace(' ', '-')}-{self.rng.randint(1, 40)}.jpg)"

    def page(self, target_bytes: int) -> str:
        rng = self.rng
        title = f"{self.service[0].upper()}{self.service[1:]}: {self.words(2, 4)}"
        parts = [self.front_matter(title), f"# {title}\n", self.wrapped(self.paragraph()) + "\n"]
        size = sum(len(p) + 1 for p in parts)
        while size < target_bytes:
            roll = rng.random()
            if roll < 0.12:
                block = f"## {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} for {self.condition}\n"
            elif roll < 0.50:
                block = self.wrapped(self.paragraph()) + "\n"
            elif roll < 0.64:
                block = self.bullet_list() + "\n"
            elif roll < 0.71:
                block = self.table() + "\n"
            elif roll < 0.78:
                block = self.quote() + "\n"
            elif roll < 0.83:
                block = self.code_fence() + "\n"
            elif roll < 0.88:
                block = self.image() + "\n"
            elif roll < 0.91:
                block = f"<!-- {self.words(3, 8)} -->\n"
            elif roll < 0.95:
                block = f"### {self.words(2, 5).capitalize()}\n"
            else:
                block = f"See [our {self.service} page](/{self.service.replace(' ', '-')}/) or call {rng.randint(200, 999)}-555-{rng.randint(1000, 9999)}.\n"
            parts.append(block)
            size += len(block) + 1
        return "\n".join(parts)


def _articles(sentence: str) -> str:
    """"a affordable" -> "an affordable"."""
    return " ".join(("an" if word == "a" and following[:1].lower() in "aeiou" else
                     "An" if word == "A" and following[:1].lower() in "aeiou" else word)
                    for word, following in zip(sentence.split(" "), sentence.split(" ")[1:] + [""]))


def file_sizes(rng: random.Random, total: int, count: int) -> List[int]:
    """Sizes that vary like a real site's (a few long pages, many short ones) and sum to `total`."""
    if count == 1:
        return [total]
    weights = [rng.lognormvariate(0, 0.6) for _ in range(count)]
    scale = total / sum(weights)
    return [max(400, int(w * scale)) for w in weights]


def generate(out: str, size_mb: float, files: int, seed: int) -> Dict[str, object]:
    """Write the corpus into `out` (replacing it) and return its manifest."""
    rng = random.Random(seed)
    total = int(size_mb * 1024 * 1024)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    sizes = file_sizes(rng, total, files)
    written = 0
    for index, target in enumerate(sizes):
        topic = TOPICS[rng.randrange(len(TOPICS))]
        section = SECTIONS[index % len(SECTIONS)] if files > 1 else ""
        folder = os.path.join(out, section, f"part{index // 250:02d}") if files > 1 else out
        os.makedirs(folder, exist_ok=True)
        name = f"{topic[0].replace(' ', '-').replace(chr(39), '')}-{index:05d}.md"
        text = Writer(rng, topic, index).page(target)
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written += len(text.encode("utf-8"))
    manifest = {"generator": GENERATOR_VERSION, "size_mb": size_mb, "files": files, "seed": seed,
                "bytes": written}
    with open(os.path.join(out, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    return manifest


def ensure(out: str, size_mb: float, files: int, seed: int) -> Dict[str, object]:
    """Generate unless `out` already holds a corpus made with the same arguments."""
    try:
        with open(os.path.join(out, MANIFEST), encoding="utf-8") as handle:
            manifest = json.load(handle)
        if (manifest.get("generator"), manifest.get("size_mb"), manifest.get("files"), manifest.get("seed")) == \
                (GENERATOR_VERSION, size_mb, files, seed):
            return manifest
    except (OSError, ValueError):
        pass
    return generate(out, size_mb, files, seed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="output folder (replaced)")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="single: one 20 KB file; small: 1 MB; full: 10 MB")
    parser.add_argument("--size-mb", type=float, default=None, help="total size in MiB")
    parser.add_argument("--files", type=int, default=None, help="number of files")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    size_mb, files = PRESETS[args.preset or "full"]
    size_mb = args.size_mb if args.size_mb is not None else size_mb
    files = args.files if args.files is not None else files
    if size_mb <= 0 or files < 1:
        parser.error("--size-mb must be positive and --files at least 1")
    manifest = generate(args.out, size_mb, files, args.seed)
    print(f"{args.out}: {manifest['files']} files, {manifest['bytes'] / 1024 / 1024:.2f} MiB (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
