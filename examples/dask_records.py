"""Lint generated product listings on a local Dask cluster with hypelint.

    pip install '.[dask]'   # in a hypelint checkout (hypelint is not on PyPI)
    python examples/dask_records.py                  # 20,000 listings, 2 worker processes
    python examples/dask_records.py --listings 100000 --workers 4 --output findings.parquet

On a real cluster, replace LocalCluster with your scheduler's address and the generated frame
with `dask.dataframe.read_parquet(...)` or `read_json(..., lines=True)`: the linter travels to the
workers with its compiled rules, so they need hypelint installed but no config or ruleset files.
"""
from __future__ import annotations

import argparse
import random

import dask.dataframe
import pandas
from distributed import Client, LocalCluster

from hypelint import Linter
from hypelint.integrations.dask import lint_dataframe

PRODUCTS = ["scalp serum", "joint capsules", "sleep gummies", "night cream", "collagen powder"]
CLAIMS = [
    "It cures thinning hair for good.",             # cure claim
    "Results are guaranteed.",                      # guarantee
    "Made from plants, so there are no side effects.",  # safety minimisation
    "Studies have shown it works in two weeks.",    # unsourced study
]
PLAIN = [
    "Apply once a day after washing.",
    "Each jar holds 50 ml.",
    "Vegan and fragrance-free.",
    "Ask your pharmacist whether it suits you.",
]


def generate_listings(count: int, seed: int = 7) -> pandas.DataFrame:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        sentences = rng.sample(PLAIN, 2) + ([rng.choice(CLAIMS)] if rng.random() < 0.3 else [])
        rng.shuffle(sentences)
        rows.append({"sku": f"SKU-{index:06d}", "title": rng.choice(PRODUCTS).title(),
                     "description": " ".join(sentences)})
    return pandas.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="Lint generated listings on a local Dask cluster.")
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", help="write the findings to this Parquet file (needs pyarrow)")
    args = parser.parse_args()

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        print(f"cluster: {len(client.scheduler_info()['workers'])} workers")
        listings = dask.dataframe.from_pandas(generate_listings(args.listings), npartitions=args.workers * 4)
        # Linter.from_config("path/to/.hypelint.yaml") lints with a team's own settings instead
        findings = lint_dataframe(listings, ["title", "description"], id_column="sku", linter=Linter())
        result = findings.compute()

    flagged = result["id"].nunique()
    print(f"{len(result)} findings in {flagged} of {args.listings} listings")
    print(result.groupby(["code", "name"]).size().rename("findings").to_string())
    print(result[["id", "field", "column", "code", "matched"]].head(5).to_string(index=False))
    if args.output:
        result.to_parquet(args.output)
        print(f"findings written to {args.output}")


if __name__ == "__main__":
    main()
