"""Many coders at once on one PostgreSQL project (issue 14, point 4).

    python benchmarks/bench_team.py [--url URL] [--coders 10] [--seconds 60] [--quick]

Without ``--url`` a private server is started in a temporary folder (as for the tests:
``tests/server/pgserver.py``) and deleted at the end; with it, URL names an EMPTY database
that becomes the benchmark's project. It creates a project with a few hundred documents and
shared model suggestions, adds the coders, and runs each coder as its own process
(``team_load.run_coder``) doing actions as fast as it can. At the end it checks that every
action a coder reported done is in the database exactly once, prints per-coder figures and,
as its last line, JSON:
``{"coders": 10, "actions": ..., "actions_per_s": ..., "p95_ms": ..., "lost": 0, "errors": 0}``.
Goal: p95 under 50 ms per action, none lost, no errors. ``--quick`` (CI): 3 coders, 5 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.team_check import consistency_problems, p95, verify
from benchmarks.team_load import create_study, plan_coders, start_coders

DOCUMENTS = 400


def _own_server() -> tuple[object, str]:
    import psycopg

    from tests.server.pgserver import LocalServer, server_binaries

    binaries = server_binaries()
    if binaries is None:
        raise SystemExit("no PostgreSQL server found: install it (apt-get install postgresql) or pass --url")
    server = LocalServer(binaries)
    server.start()
    with psycopg.connect(server.url("postgres"), autocommit=True) as connection:
        connection.execute("CREATE DATABASE annotator_bench TEMPLATE template0")
    return server, server.url("annotator_bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an empty database on a running server (default: start one)")
    parser.add_argument("--coders", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    parser.add_argument("--quick", action="store_true", help="3 coders for 5 seconds (CI)")
    args = parser.parse_args(argv)
    if args.quick:
        args.coders, args.seconds, args.documents = 3, 5.0, 100
    server, url = (None, args.url) if args.url else _own_server()
    try:
        began = time.perf_counter()
        document_ids = create_study(url, args.documents, args.coders)
        print(f"project: {len(document_ids)} documents, {args.coders} coders "
              f"({time.perf_counter() - began:.1f} s to create)", flush=True)
        with tempfile.TemporaryDirectory(prefix="annotator-bench-team-") as folder:
            works = plan_coders(url, document_ids, args.coders, args.seconds, Path(folder))
            processes = start_coders(works)
            for process in processes:
                process.join()
            crashed = [p.name for p in processes if p.exitcode != 0]
            outcome = verify(url, works)
        problems = consistency_problems(url)
    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
    for coder, figures in outcome.per_coder.items():
        print(f"{coder}: {figures['actions']} actions, p95 {figures['p95_ms']} ms, "
              f"mean {figures['mean_ms']} ms (own CPU {figures['cpu_ms']} ms), "
              f"errors {figures['errors']}, lost {figures['lost']}, "
              f"duplicates {figures['duplicates']}, retries {figures['retries']}")
    for problem in outcome.problems:
        print("error:", problem)
    if outcome.ran_out:
        print("coders that coded every document before the time was up (use more --documents):",
              ", ".join(outcome.ran_out))
    if crashed:
        print("coder processes that failed:", ", ".join(crashed))
    if problems or outcome.unexpected:
        print(f"inconsistent: {problems}, rows nobody reported: {outcome.unexpected}")
    result = {
        "coders": args.coders,
        "actions": outcome.actions,
        "actions_per_s": round(outcome.actions / args.seconds, 1),
        "p95_ms": round(p95(outcome.latencies_ms), 1),
        "lost": outcome.lost,
        "errors": outcome.errors + len(crashed),
        "duplicates": outcome.duplicates,
    }
    print(json.dumps(result))
    healthy = not (outcome.lost or result["errors"] or outcome.duplicates or problems or outcome.unexpected)
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
