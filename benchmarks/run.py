#!/usr/bin/env python3
"""Time hypelint against proselint and a regex floor on a generated corpus; print medians.

Run it with the Python that has hypelint installed (the project's .venv):

    .venv/bin/python benchmarks/run.py                      # everything, 5 runs each
    .venv/bin/python benchmarks/run.py --runs 3 --only corpus,single
    .venv/bin/python benchmarks/run.py --json results.json  # also keep the figures

Benchmarks (pick with --only):
  corpus    the ~10 MB / 2,000-file corpus: hypelint (default --jobs, and --jobs 1), proselint,
            the flat and the prefix-factored regex floor; wall and CPU medians, ratios, peak memory
  single    one 20 KB file, cold (no result cache): hypelint, proselint, `python -c pass`
  scaling   hypelint with the built-in rules, then with them duplicated 4x under new codes
  cache     cold (empty result cache) against warm (unchanged corpus) runs
  imports   `python -X importtime -m hypelint check` on one file: total and the costliest modules

proselint is installed from PyPI into the benchmark's own virtualenv, benchmarks/.venv
(created on first use from benchmarks/requirements.txt), never into the project's.
Corpora are generated into benchmarks/corpus/ (deterministic, see make_corpus.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402

BENCH_VENV = HERE / ".venv"
CORPUS_ROOT = HERE / "corpus"
ALL = ("corpus", "single", "scaling", "cache", "imports")


# -- measuring one command ------------------------------------------------------------------------
class Measurement:
    def __init__(self, wall: float, cpu: float, max_rss_kib: int, tree_rss_kib: int, returncode: int):
        self.wall = wall
        self.cpu = cpu
        self.max_rss_kib = max_rss_kib    # the largest single process (getrusage of the children)
        self.tree_rss_kib = tree_rss_kib  # the largest sum over the process and its children (sampled)
        self.returncode = returncode


def _children(pid: int) -> List[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _sample_tree(pid: int, peak: List[int], done: threading.Event) -> None:
    """Sum the resident memory of a process and its descendants every 20 ms (Linux /proc)."""
    while not done.wait(0.02):
        pids, stack = [], [pid]
        while stack:
            current = stack.pop()
            pids.append(current)
            stack.extend(_children(current))
        peak[0] = max(peak[0], sum(_rss_kib(p) for p in pids))


def measure(command: Sequence[str], cwd: Optional[Path] = None, env: Optional[Dict[str, str]] = None,
            ok_codes=(0, 1)) -> Measurement:
    full_env = dict(os.environ, **(env or {}))
    # as installed by pip, every tool runs from bytecode: let the warm-up run write it
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd,
                               env=full_env)
    peak = [0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(process.pid, peak, done), daemon=True)
    if os.path.isdir("/proc"):
        sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    process.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8
    if process.returncode not in ok_codes:
        sys.exit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{stderr.decode()[-2000:]}")
    max_rss = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    return Measurement(wall, usage.ru_utime + usage.ru_stime, max_rss, max(peak[0], max_rss), process.returncode)


def repeat(label: str, command: Sequence[str], runs: int, before=None, **options) -> Dict[str, float]:
    """Run `command` `runs` times (after one untimed warm-up of the OS file cache) and keep medians."""
    measure(command, **options)
    samples = []
    for _ in range(runs):
        if before:
            before()
        samples.append(measure(command, **options))
    result = {
        "wall": statistics.median(m.wall for m in samples),
        "cpu": statistics.median(m.cpu for m in samples),
        "max_rss_mib": max(m.max_rss_kib for m in samples) / 1024,
        "tree_rss_mib": max(m.tree_rss_kib for m in samples) / 1024,
        "walls": [round(m.wall, 3) for m in samples],
    }
    print(f"  {label:44} wall {result['wall']:7.3f}s  cpu {result['cpu']:7.3f}s  "
          f"peak {result['tree_rss_mib']:6.1f} MiB (largest process {result['max_rss_mib']:.1f})", flush=True)
    return result


# -- the tools ------------------------------------------------------------------------------------
def hypelint(*arguments: str) -> List[str]:
    return [sys.executable, "-m", "hypelint", "check", "--quiet", *arguments]


def proselint_command() -> List[str]:
    binary = BENCH_VENV / ("Scripts" if os.name == "nt" else "bin") / "proselint"
    if not binary.exists():
        print(f"setting up {BENCH_VENV} with proselint (benchmarks/requirements.txt)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        pip = BENCH_VENV / ("Scripts" if os.name == "nt" else "bin") / "pip"
        subprocess.run([str(pip), "install", "--quiet", "-r", str(HERE / "requirements.txt")], check=True)
    return [str(binary), "check"]


def corpus(preset: str) -> Path:
    size_mb, files = make_corpus.PRESETS[preset]
    folder = CORPUS_ROOT / preset
    manifest = make_corpus.ensure(str(folder), size_mb, files, seed=7)
    print(f"corpus {preset}: {manifest['files']} files, {manifest['bytes'] / 1024 / 1024:.2f} MiB in {folder}")
    return folder


def phrases_file(work: Path) -> Path:
    path = work / "phrases.json"
    subprocess.run([sys.executable, str(HERE / "floor.py"), "--write-phrases", str(path)], check=True)
    return path


def duplicated_rules_config(work: Path, copies: int = 4) -> Path:
    """A config whose packs are the default packs plus copies-1 renamed copies of each."""
    from hypelint.rules.load import builtin_directory, default_pack_names

    packs = default_pack_names()
    extends = list(packs)
    letters = "BCDEFGHIJ"
    for copy in range(copies - 1):
        letter = letters[copy]
        for pack in packs:
            text = (builtin_directory() / f"{pack}.yaml").read_text(encoding="utf-8")
            text = re.sub(r"^(\s*-?\s*code:\s*)([A-Z]{2})(\d+)", rf"\g<1>\g<2>{letter}\g<3>", text, flags=re.M)
            text = re.sub(r"^(\s+name:\s*)([a-z0-9-]+)\s*$", rf"\g<1>\g<2>-{letter.lower()}", text, flags=re.M)
            text = re.sub(r"^pack:\s*(\S+)", rf"pack: \g<1>-{letter.lower()}", text, flags=re.M)
            target = work / f"{pack}-{letter.lower()}.yaml"
            target.write_text(text, encoding="utf-8")
            extends.append(f"./{target.name}")
    config = work / f"rules-x{copies}.yaml"
    config.write_text("extends:\n" + "".join(f"  - {name}\n" for name in extends), encoding="utf-8")
    normal = work / "rules-x1.yaml"
    normal.write_text("extends:\n" + "".join(f"  - {name}\n" for name in packs), encoding="utf-8")
    return config


def rule_count(config: Path) -> int:
    done = subprocess.run([sys.executable, "-c", "import sys; from hypelint.config import load_settings; "
                           "print(len(load_settings(config_path=sys.argv[1]).linter().rules))", str(config)],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}x" if denominator else "n/a"


# -- the benchmarks -------------------------------------------------------------------------------
def bench_corpus(results, runs, work, jobs, skip_proselint):
    folder = corpus("full")
    phrases = phrases_file(work)
    jobs_option = ["--jobs", str(jobs)] if jobs else []
    section = results["corpus"] = {}
    section["hypelint"] = repeat("hypelint check (default --jobs, no cache)", hypelint("--no-cache", *jobs_option, str(folder)), runs)
    section["hypelint_jobs1"] = repeat("hypelint check --jobs 1 (no cache)", hypelint("--no-cache", "--jobs", "1", str(folder)), runs)
    if not skip_proselint:
        section["proselint"] = repeat("proselint check", proselint_command() + [str(folder)], runs)
    floor = [sys.executable, str(HERE / "floor.py"), "--phrases", str(phrases)]
    section["floor_flat"] = repeat("regex floor, flat alternation", floor + [str(folder)], runs)
    section["floor_factored"] = repeat("regex floor, prefix-factored", floor + ["--factored", str(folder)], runs)
    mib = sum(p.stat().st_size for p in folder.rglob("*.md")) / 1024 / 1024
    hyp = section["hypelint"]["wall"]
    print(f"  throughput: hypelint {mib / hyp:.2f} MiB/s", end="")
    if "proselint" in section:
        print(f", proselint {mib / section['proselint']['wall']:.2f} MiB/s; "
              f"hypelint/proselint throughput {ratio(section['proselint']['wall'], hyp)}", end="")
    print(f"\n  hypelint vs floor: {ratio(hyp, section['floor_flat']['wall'])} of the flat floor, "
          f"{ratio(hyp, section['floor_factored']['wall'])} of the factored floor (wall)")
    print(f"  peak memory, hypelint: {section['hypelint']['tree_rss_mib']:.1f} MiB (all processes), "
          f"{section['hypelint_jobs1']['tree_rss_mib']:.1f} MiB with --jobs 1")


def bench_single(results, runs, work, skip_proselint):
    folder = corpus("single")
    file = next(folder.glob("*.md"))
    section = results["single"] = {}
    section["python"] = repeat("python -c pass", [sys.executable, "-c", "pass"], runs)
    section["hypelint"] = repeat(f"hypelint check {file.name} (cold: no cache)", hypelint("--no-cache", str(file)), runs)
    # the compiled-pattern cache (hypelint.regexcache) is to hypelint what bytecode is to Python;
    # this is a first run ever, which compiles every pattern the page needs
    section["hypelint_no_pattern_cache"] = repeat(
        "  same, without the compiled-pattern cache", hypelint("--no-cache", str(file)), runs,
        env={"HYPELINT_PATTERN_CACHE": "off"})
    if not skip_proselint:
        section["proselint"] = repeat(f"proselint check {file.name}", proselint_command() + [str(file)], runs)


def bench_scaling(results, runs, work, jobs):
    folder = corpus("full")
    many = duplicated_rules_config(work)
    normal = work / "rules-x1.yaml"
    jobs_option = ["--jobs", str(jobs)] if jobs else []
    counts = (rule_count(normal), rule_count(many))
    section = results["scaling"] = {"rules": counts}
    section["x1"] = repeat(f"hypelint, {counts[0]} rules", hypelint("--no-cache", "--config", str(normal), *jobs_option, str(folder)), runs)
    section["x4"] = repeat(f"hypelint, {counts[1]} rules (4x)", hypelint("--no-cache", "--config", str(many), *jobs_option, str(folder)), runs)
    section["x1_jobs1"] = repeat(f"hypelint --jobs 1, {counts[0]} rules", hypelint("--no-cache", "--jobs", "1", "--config", str(normal), str(folder)), runs)
    section["x4_jobs1"] = repeat(f"hypelint --jobs 1, {counts[1]} rules (4x)", hypelint("--no-cache", "--jobs", "1", "--config", str(many), str(folder)), runs)
    print(f"  4x rules cost {ratio(section['x4']['wall'], section['x1']['wall'])} the time (wall), "
          f"{ratio(section['x4_jobs1']['cpu'], section['x1_jobs1']['cpu'])} the CPU with --jobs 1")


def bench_cache(results, runs, work, jobs):
    folder = corpus("full")
    cache_dir = work / "cache"
    jobs_option = ["--jobs", str(jobs)] if jobs else []
    command = hypelint("--cache-dir", str(cache_dir), *jobs_option, str(folder))
    section = results["cache"] = {}
    section["cold"] = repeat("hypelint check, empty cache", command, runs,
                             before=lambda: shutil.rmtree(cache_dir, ignore_errors=True))
    section["warm"] = repeat("hypelint check, warm cache", command, runs)
    print(f"  warm/cold: {section['warm']['wall'] / section['cold']['wall'] * 100:.1f}% (wall)")


def bench_imports(results, work):
    folder = corpus("single")
    file = next(folder.glob("*.md"))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "hypelint", "check", "--no-cache", "--quiet",
                           str(file)], capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match.group(2)), len(match.group(3)) // 2, match.group(4)))
    top_level = [(cumulative, name) for cumulative, depth, name in rows if depth == 0]
    total_ms = sum(c for c, _ in top_level) / 1000
    modules = {name for _, _, name in rows}
    section = results["imports"] = {"total_ms": total_ms, "modules": len(modules),
                                    "top": sorted(top_level, reverse=True)[:12],
                                    "unneeded": sorted(m for m in modules if m.split(".")[0] in
                                                       ("pygls", "lsprotocol", "jsonschema", "dask", "pandas",
                                                        "jinja2", "hypothesis"))}
    print(f"  python -X importtime -m hypelint check {file.name}: {total_ms:.1f} ms in {len(modules)} modules")
    for cumulative, name in section["top"]:
        print(f"    {cumulative / 1000:7.1f} ms  {name}")
    print(f"  modules a check run should not import: {section['unneeded'] or 'none'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median reported)")
    parser.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of: {', '.join(ALL)}")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to hypelint (default: its default)")
    parser.add_argument("--skip-proselint", action="store_true", help="do not run proselint")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(ALL)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    import hypelint

    results: Dict[str, object] = {"hypelint": hypelint.__version__, "python": sys.version.split()[0],
                                  "cpus": os.cpu_count(), "runs": args.runs}
    print(f"hypelint {hypelint.__version__} on Python {results['python']}, {results['cpus']} CPUs, "
          f"median of {args.runs} runs")
    with tempfile.TemporaryDirectory(prefix="hypelint-bench-") as scratch:
        work = Path(scratch)
        for name in chosen:
            print(f"\n[{name}]", flush=True)
            if name == "corpus":
                bench_corpus(results, args.runs, work, args.jobs, args.skip_proselint)
            elif name == "single":
                bench_single(results, args.runs, work, args.skip_proselint)
            elif name == "scaling":
                bench_scaling(results, args.runs, work, args.jobs)
            elif name == "cache":
                bench_cache(results, args.runs, work, args.jobs)
            elif name == "imports":
                bench_imports(results, work)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
