"""What one large upload costs the server's process, alone, against a real server.

bench_web's server (uvicorn in its own process, SQLite) receives bench_web's large
uploads (one issue of 10,000 options, 0.7 MB of JSON) one after another, nothing else.
Printed: the mean and fastest upload, and per upload the CPU of the server's process and
of its children (the validation worker), from ``/proc``. With ``--py-spy``, py-spy samples
the server's process meanwhile and the functions holding the most samples are printed
(each counted once per stack: a function's share includes what it called).

    python benchmarks/bench_upload_server.py [--uploads 10] [--py-spy]
"""

from __future__ import annotations

import argparse
import collections
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import Server, allow_uploads, large_scenario, process_cpu_seconds, seed

TOP = 15
SHOWN = ("accord/", "json/", "pickle", "multiprocessing/", "pydantic/", "sqlalchemy/orm/session")


def hottest(stacks: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """From py-spy's raw output: (samples, function) of the functions running when sampled
    (self), and of Accord's, the parsers' and the pickler's with what they called."""
    inclusive: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    for line in stacks.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [re.sub(r":\d+\)", ")", frame) for frame in stack.split(";")]
        leaves[frames[-1]] += int(count)
        for function in set(frames):
            if any(part in function for part in SHOWN):
                inclusive[function] += int(count)
    return (
        [(n, f) for f, n in leaves.most_common(TOP)],
        [(n, f) for f, n in inclusive.most_common(TOP)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--py-spy", action="store_true", help="sample the server with py-spy")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'ledger.db'}"
        seed(url)
        allow_uploads(url, "ua-delegate")
        server = Server(url, 1)
        try:
            cookie, _ = server.login("ua-delegate")
            body = large_scenario()
            headers = {"Content-Type": "application/json", "Cookie": cookie}
            # The first upload starts the validation worker: not counted.
            status, _, text = server.request("POST", "/api/negotiations", body, headers, 600)
            if status != 201:
                raise RuntimeError(f"the upload failed: {status} {text[:200]!r}")
            pid = server.process.pid
            spy = None
            stacks = Path(folder) / "stacks.txt"
            if arguments.py_spy:
                command = ["py-spy", "record", "-p", str(pid), "-r", "200", "-f", "raw"]
                spy = subprocess.Popen([*command, "-o", str(stacks), "--nonblocking"])
                time.sleep(1.0)
            own, everything = process_cpu_seconds(pid, False), process_cpu_seconds(pid)
            seconds = []
            for _ in range(arguments.uploads):
                began = time.perf_counter()
                status, _, text = server.request("POST", "/api/negotiations", body, headers, 600)
                seconds.append(time.perf_counter() - began)
                if status != 201:
                    raise RuntimeError(f"the upload failed: {status} {text[:200]!r}")
            own = process_cpu_seconds(pid, False) - own
            children = process_cpu_seconds(pid) - everything - own
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait()
        finally:
            server.stop()
        count = arguments.uploads
        print(
            f"{count} uploads of {len(body) / 1e6:.1f} MB: mean {sum(seconds) / count * 1000:.0f}"
            f" ms, fastest {min(seconds) * 1000:.0f} ms; per upload {own / count * 1000:.0f} ms"
            f" of the server process's CPU, {children / count * 1000:.0f} ms of its children's"
        )
        if spy is not None:
            running, including = hottest(stacks)
            for title, rows in (("running", running), ("with what they called", including)):
                print(f"py-spy on the server's process, {count} uploads: functions {title}")
                for samples, function in rows:
                    per_upload = samples / 200 / count * 1000  # 200 samples a second
                    print(f"  {per_upload:6.1f} ms per upload  {function}")


if __name__ == "__main__":
    main()
