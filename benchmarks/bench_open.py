"""What the checks on opening a project for writing cost, on a large project.

Builds 10,000 documents of ~600 words with 20 entities and 2 claims each (bench_export's
generator), then times, each as the median of 5 cold-ish runs (a fresh process reuses the OS
page cache, as a researcher's second open does):
- ``PRAGMA quick_check`` (the integrity check run once per open for writing);
- the write probe (a rolled-back no-op UPDATE);
- a whole ``Project.open`` for writing and a read-only open.
Last line: one JSON object. ``--quick``: 200 documents (CI checks the script still works).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOCS = 10_000
REPEAT = 5


def timed(action) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    from annotator.services.project import Project
    from annotator.storage.health import check_integrity, check_writable
    from benchmarks import bench_export

    docs = 200 if "--quick" in sys.argv[1:] else DOCS  # --quick: a small run, CI checks the script works
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.annotator"
        bench_export.build_project(path, docs)
        size_mb = path.stat().st_size / 1e6

        def open_for_writing() -> None:
            Project.open(path).close()

        def open_read_only() -> None:
            Project.open(path, read_only=True).close()

        figures = {
            "documents": docs,
            "file_mb": round(size_mb, 1),
            "quick_check_s": round(timed(lambda: check_integrity(path)), 3),
            "write_probe_s": round(timed(lambda: check_writable(path)), 4),
            "open_for_writing_s": round(timed(open_for_writing), 3),
            "open_read_only_s": round(timed(open_read_only), 3),
        }
    figures["quick_check_mb_per_s"] = round(size_mb / figures["quick_check_s"], 0)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
