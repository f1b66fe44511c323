"""Records per second for record mode: one process, `--jobs`, and a Dask LocalCluster.

    python benchmarks/records_bench.py                 # 100,000 listings, --jobs = CPU count, 2 Dask workers
    python benchmarks/records_bench.py --records 20000 --jobs 4 --workers 4 --repeat 1

Generates deterministic product listings (some with health claims the default rules flag), writes
them as JSON Lines, then times, wall clock, best of --repeat runs:
  1. `hypelint check --records FILE --jobs 1` (one process, interpreter start included),
  2. the same with `--jobs N`,
  3. `hypelint.integrations.dask.lint_dataframe` over `dask.dataframe.read_json(FILE)` on a
     `distributed.LocalCluster` of --workers single-threaded worker processes (cluster start-up
     is reported separately and not included).
All three must produce the same findings; the script checks that before printing figures.
Needs the dask extra: `pip install -e '.[dask]'`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Copy fragments: clean ones, and claims the default rules flag (cure, guarantee, safety,
# unsourced study), so roughly one listing in three has findings, as in a real catalogue.
CLEAN = [
    "A lightweight daily moisturiser with oat extract and shea butter.",
    "Apply a pea-sized amount to clean skin morning and evening.",
    "Fragrance-free and suitable for sensitive skin.",
    "Comes in a recyclable 50 ml glass jar.",
    "Our team answers questions about ingredients within one working day.",
    "Store below 25 °C and away from direct sunlight.",
    "Each capsule contains 500 mg of magnesium glycinate.",
    "Free shipping on orders over $40.",
]
RISKY = [
    "This serum cures thinning hair for good.",
    "Results are guaranteed or your money back.",
    "Completely natural, with no side effects.",
    "Studies have shown a visible difference in two weeks.",
    "Reverses hair loss in as little as a month.",
]


def generate(count: int, seed: int = 20240601):
    rng = random.Random(seed)
    for index in range(count):
        sentences = rng.sample(CLEAN, rng.randint(2, 4))
        if rng.random() < 0.35:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(RISKY))
        yield {"sku": f"SKU-{index:06d}", "title": f"Listing {index}", "description": " ".join(sentences)}


def run_cli(path: Path, jobs: int, output: Path) -> float:
    command = [sys.executable, "-m", "hypelint", "check", "--isolated", "--quiet", "--records", str(path),
               "--text-field", "description", "--id-field", "sku", "--jobs", str(jobs)]
    started = time.perf_counter()
    with open(output, "wb") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"hypelint failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed


def digest_rows(rows) -> str:
    return hashlib.sha256("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows).encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="listings to generate (default 100000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for run 2 (default: CPU count)")
    parser.add_argument("--workers", type=int, default=2, help="Dask LocalCluster workers (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode; the best is reported (default 3)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hypelint-records-bench-") as folder:
        folder = Path(folder)
        listings = folder / "listings.jsonl"
        with open(listings, "w", encoding="utf-8") as handle:
            for record in generate(args.records):
                handle.write(json.dumps(record) + "\n")

        figures = []
        outputs = {}
        for label, jobs in (("one process (--jobs 1)", 1), (f"--jobs {args.jobs}", args.jobs)):
            output = folder / f"findings-{jobs}.jsonl"
            best = min(run_cli(listings, jobs, output) for _ in range(args.repeat))
            outputs[label] = output.read_bytes()
            figures.append((label, best))
        first, second = outputs.values()
        if first != second:
            raise SystemExit("--jobs output differs from the single-process output")
        reference = [json.loads(line) for line in first.splitlines()]

        import dask.dataframe
        from distributed import Client, LocalCluster

        from hypelint import Linter
        from hypelint.integrations.dask import lint_dataframe

        started = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            startup = time.perf_counter() - started
            linter = Linter()
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                frame = dask.dataframe.read_json(str(listings), lines=True, blocksize=2**21,
                                                 dtype={"sku": str, "title": str, "description": str})
                rows = lint_dataframe(frame, "description", id_column="sku", linter=linter).compute()
                best = min(best, time.perf_counter() - started)
        dask_rows = rows.to_dict("records")
        if digest_rows(dask_rows) != digest_rows(reference):
            raise SystemExit("Dask findings differ from the single-process findings")
        figures.append((f"Dask LocalCluster, {args.workers} workers", best))

    load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    print(f"{args.records} listings, {len(reference)} findings (identical in every mode); "
          f"best of {args.repeat}; CPUs: {os.cpu_count()}{load}; Python {sys.version.split()[0]}")
    print(f"{'mode':40} {'seconds':>8} {'records/s':>10}")
    for label, seconds in figures:
        print(f"{label:40} {seconds:8.2f} {args.records / seconds:10.0f}")
    print(f"(Dask cluster start-up, not included: {startup:.2f} s)")


if __name__ == "__main__":
    main()
