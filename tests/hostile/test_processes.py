"""No process outlives the command (issue 19, item 3): `producer | hypelint check --records -
--jobs 2 | head -1` ends and releases the producer; SIGTERM to hypelint stops its workers (and
the forkserver) too. Processes are found by a marker in their environment."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux only)")

PRODUCER = r'''
import json, sys
count = 0
try:
    while True:
        sys.stdout.write(json.dumps({"id": count, "text": "Our serum cures baldness. " * 20}) + "\n")
        count += 1
        if count % 500 == 0:
            sys.stdout.flush()
except BrokenPipeError:
    sys.stderr.write("producer released\n")
'''


def _marked(marker):
    """PIDs of live processes whose environment holds the marker (zombies excluded)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if marker.encode() not in handle.read():
                    continue
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state != b"Z":
            found.append(int(entry))
    return found


def _wait_until(condition, limit=60.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def marker():
    value = f"hypelint-test-{uuid.uuid4().hex}"
    yield value
    for pid in _marked(value):  # whatever the outcome, leave nothing behind
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _env(marker):
    return dict(os.environ, HYPELINT_TEST_MARKER=marker, PYTHONPATH=str(ROOT / "src"))


def test_head_closing_the_pipe_ends_everything(tmp_path, marker):
    producer = tmp_path / "producer.py"
    producer.write_text(PRODUCER)
    command = (f"{sys.executable} {producer} | {sys.executable} -m hypelint check --records - --text-field text "
               f"--id-field id --jobs 2 | head -1")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120, env=_env(marker))
    assert done.stdout.startswith('{"id": 0')
    assert "producer released" in done.stderr
    assert _wait_until(lambda: not _marked(marker)), f"left running: {_marked(marker)}"


def test_sigterm_in_record_mode_stops_workers_and_forkserver(tmp_path, marker):
    producer = tmp_path / "producer.py"
    producer.write_text(PRODUCER)
    feeder = subprocess.Popen([sys.executable, str(producer)], stdout=subprocess.PIPE, env=_env(marker))
    main = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "hypelint", "check", "--records", "-",
                             "--text-field", "text", "--jobs", "2"], stdin=feeder.stdout, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=_env(marker))
    feeder.stdout.close()
    try:
        # hypelint, the producer, a forkserver, a resource tracker and two workers
        assert _wait_until(lambda: len(_marked(marker)) >= 5)
        main.send_signal(signal.SIGTERM)
        try:
            main.wait(timeout=10)
        except subprocess.TimeoutExpired:  # hung: show where (faulthandler prints every thread)
            main.send_signal(signal.SIGABRT)
            pytest.fail(main.communicate()[1].decode(errors="replace")[-4000:])
        feeder.wait(timeout=60)  # released: its pipe has no reader left
        assert _wait_until(lambda: not _marked(marker)), f"left running: {_marked(marker)}"
    finally:
        feeder.kill()
        main.kill()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_linting_files_stops_the_pool(tmp_path, marker, signum):
    site = tmp_path / "site"
    site.mkdir()
    for index in range(40):
        (site / f"page{index}.md").write_text("Our serum cures baldness, guaranteed. No side effects.\n" * 400)
    main = subprocess.Popen([sys.executable, "-m", "hypelint", "check", "--no-cache", "--jobs", "2", str(site)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(marker))
    try:
        assert _wait_until(lambda: len(_marked(marker)) >= 3 or main.poll() is not None)
        main.send_signal(signum)
        main.wait(timeout=60)
        assert _wait_until(lambda: not _marked(marker)), f"left running: {_marked(marker)}"
        assert b"Traceback" not in main.stderr.read()
        assert main.returncode in (128 + signum, -signum)
    finally:
        main.kill()


def test_workers_do_not_hold_standard_input(tmp_path):
    from hypelint.parallel import detach_worker

    probe = tmp_path / "probe.py"
    probe.write_text("import os, sys\nfrom hypelint.parallel import detach_worker\ndetach_worker()\n"
                     "print(os.readlink('/proc/self/fd/0'))\n")
    done = subprocess.run([sys.executable, str(probe)], input=b"secret records", capture_output=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), timeout=60)
    assert done.stdout.decode().strip() == os.devnull
    assert detach_worker  # imported in this process too
