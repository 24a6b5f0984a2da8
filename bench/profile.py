"""Profile the public pages with pyinstrument, in process, on the benchmark database.

    .venv/bin/python bench/profile.py [page ...]       (page names from bench/run.py PAGES)

Uses the environment `make bench` builds (production settings, PostgreSQL kc_bench when it
answers, Redis) and the same demo pages, renders each page REPEAT times for the demo member
(logged in: never from the page cache) after one warm-up request, and prints pyinstrument's call
tree, cut at 1 % of the time, to var/bench/profile-<page>.txt and a few lines to the terminal.
A dev tool, and pyinstrument is in neither lock file: `.venv/bin/pip install pyinstrument` first.
PROFILE_REPEAT sets the number of requests (default 30).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = int(os.environ.get("PROFILE_REPEAT", "30"))


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(names: list[str]) -> int:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("bench/profile.py needs pyinstrument: .venv/bin/pip install pyinstrument")
        return 1

    bench = _bench()
    unknown = set(names) - set(bench.PAGES)
    if unknown:
        print(f"Unknown page(s) {', '.join(sorted(unknown))}; choose from {', '.join(bench.PAGES)}")
        return 1
    env, database, _cache = bench.bench_environment()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(f"Preparing the benchmark database ({database})...")
    session_id, pages = bench.prepare()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_id
    bench.VAR.mkdir(parents=True, exist_ok=True)
    for name, url in pages.items():
        if names and name not in names:
            continue
        assert client.get(url).status_code == 200, url  # warm: per-process caches filled
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _request in range(REPEAT):
                client.get(url)
        session = profiler.last_session
        per_request = session.duration * 1000 / REPEAT
        # Wall time includes the waits for PostgreSQL and Redis and, on a busy machine, for a
        # core; the CPU time of this process is the part the code itself costs.
        cpu = session.cpu_time * 1000 / REPEAT
        tree = profiler.output_text(unicode=True, color=False, show_all=False)
        # The functions that cost the most themselves, wherever they are called from.
        flat = profiler.output_text(unicode=True, color=False, flat=True)
        out = bench.VAR / f"profile-{name}.txt"
        out.write_text(
            f"{name} {url}: {per_request:.1f} ms per request (wall), {cpu:.1f} ms CPU\n\n"
            f"{tree}\n\nSelf time per function:\n{flat}"
        )
        print(
            f"{name:<13} {per_request:6.1f} ms/request, {cpu:6.1f} ms CPU"
            f" -> {out.relative_to(ROOT)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
