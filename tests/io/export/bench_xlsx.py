"""Benchmark: write_workbook against a bare openpyxl write-only loop (not collected by pytest).

Run from the repository root::

    .venv/bin/python tests/io/export/bench_xlsx.py [rows]

Both sides consume the same cheap row generator (200,000 rows x 10 columns by default);
the bare loop appends the already-typed values (date objects, 1/0, strings) with
``ws.append`` and nothing else.  Each side runs in its own process so that peak memory
(max RSS) is measured separately.  Prints the times, their ratio and both peaks.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SENTENCE = (
    "the prime minister said on tuesday that talks with the opposition would resume "
    "after the budget vote officials confirmed a meeting in the capital"
)
WORDS = SENTENCE.split()
TEXTS = [" ".join(WORDS[i % 7 : i % 7 + 5 + i % 9]).capitalize() for i in range(997)]
TEXTS[::50] = ["- " + text for text in TEXTS[::50]]  # a few texts that need the guard
LABELS = ["PERSON", "ORG", "GPE", "DATE", "NORP", "EVENT", "LAW"]
DAYS = [date(2020, 1, 1) + timedelta(days=i) for i in range(1461)]
MOMENTS = [datetime(2024, 1, 1, 8) + timedelta(minutes=37 * i) for i in range(2000)]


def rows(count: int):
    for i in range(count):
        yield (
            i + 1,
            i // 40 + 1,
            LABELS[i % 7],
            TEXTS[i % 997],
            (i * 13) % 5000,
            (i * 13) % 5000 + 12,
            (i % 1000) / 1000,
            DAYS[i % 1461],
            MOMENTS[i % 2000],
            i % 3 == 0,
        )


def run_bare(path: Path, count: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("claims")
    sheet.append(
        [
            "id",
            "document_id",
            "label",
            "text",
            "start",
            "end",
            "confidence",
            "published",
            "coded_at",
            "is_claim",
        ]
    )
    for row in rows(count):
        sheet.append([*row[:9], 1 if row[9] else 0])
    workbook.save(path)


def run_ours(path: Path, count: int) -> None:
    from annotator.io.export import Column, ColumnType, Sheet, write_workbook

    t = ColumnType
    columns = [
        Column("id", t.INTEGER),
        Column("document_id", t.INTEGER),
        Column("label"),
        Column("text"),
        Column("start", t.INTEGER),
        Column("end", t.INTEGER),
        Column("confidence", t.NUMBER),
        Column("published", t.DATE),
        Column("coded_at", t.DATETIME),
        Column("is_claim", t.BOOLEAN),
    ]
    write_workbook(path, [Sheet("claims", columns, rows(count))])


def child(which: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{which}.xlsx"
        start = time.perf_counter()
        (run_bare if which == "bare" else run_ours)(path, count)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{elapsed:.3f} {peak:.1f} {path.stat().st_size}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    results: dict[str, list[tuple[float, float, int]]] = {"bare": [], "ours": []}
    for _ in range(3):
        for which in ("bare", "ours"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", which, str(count)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            results[which].append((float(out[0]), float(out[1]), int(out[2])))
    best = {which: min(runs) for which, runs in results.items()}
    for which, (seconds, peak, size) in best.items():
        print(f"{which:5} best of 3: {seconds:6.2f} s  peak RSS {peak:6.1f} MiB  file {size / 2**20:.1f} MiB")
    print(f"ratio ours/bare: {best['ours'][0] / best['bare'][0]:.3f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
