"""Boilerplate left by the HTML importer on the news pages in tests/io/fixtures/news.

Each page ``X.html`` has ``X.expected.txt``, its main text (one paragraph a line). A line of
the imported text is *boilerplate* when it is not part of the expected text (the headline
counts as main text); *recall* is the share of expected paragraphs found in the import.
Every variant of the extraction is measured in the same run, the importer's default last
but one, so that each step can be judged. ``--quick`` measures three pages and two variants
(for CI, to keep this script from rotting). Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.io.importers.boilerplate import normal
from annotator.io.importers.decoding import decode_text
from annotator.io.importers.html import Extraction, declared_charset, extract_page

NEWS = Path(__file__).resolve().parents[1] / "tests" / "io" / "fixtures" / "news"
BEFORE, AFTER = "before (trafilatura only)", "after (importer default)"
_NONE = Extraction(clean_tables=False, drop_blocks=False, drop_furniture=False)
VARIANTS = {
    BEFORE: _NONE,
    "favor_precision": replace(_NONE, favor_precision=True),
    "furniture blocks dropped": replace(_NONE, drop_blocks=True),
    "tables cleaned": replace(_NONE, clean_tables=True),
    "furniture lines dropped": replace(_NONE, drop_furniture=True),
    AFTER: Extraction(),
    "default + favor_precision": Extraction(favor_precision=True),
}


@dataclass
class Score:
    lines: int = 0
    boilerplate: int = 0
    expected: int = 0
    found: int = 0

    def add(self, other: Score) -> None:
        self.lines += other.lines
        self.boilerplate += other.boilerplate
        self.expected += other.expected
        self.found += other.found

    @property
    def boilerplate_share(self) -> float:
        return self.boilerplate / self.lines if self.lines else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def score(page: Path, how: Extraction, show: bool = False) -> Score:
    data = page.read_bytes()
    extracted = extract_page(decode_text(data, page, declared_charset(data)).text, how)
    expected_text = page.with_suffix(".expected.txt").read_text("utf-8")
    expected_lines = [normal(line) for line in expected_text.split("\n") if normal(line)]
    expected = " ".join(expected_lines)
    title = normal(extracted.extracted.title or "") if extracted.extracted else ""
    got = [line for line in extracted.text.split("\n") if normal(line)]
    left = [line for line in got if normal(line) not in expected and normal(line) != title]
    if show:
        for line in left:
            print(f"      boilerplate: {line[:100]}")
    joined = normal(extracted.text)
    return Score(len(got), len(left), len(expected_lines), sum(line in joined for line in expected_lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="three pages, two variants (for CI)")
    parser.add_argument("--show", action="store_true", help="print the boilerplate lines left by the default")
    args = parser.parse_args()
    pages = sorted(NEWS.glob("*.html"))
    variants = dict(VARIANTS)
    if args.quick:
        pages = pages[::4]  # modelled and real pages
        variants = {name: variants[name] for name in (BEFORE, AFTER)}
    assert pages, f"no pages in {NEWS}"
    figures: dict[str, dict[str, float]] = {}
    print(f"{len(pages)} news pages from {NEWS.relative_to(NEWS.parents[3])}")
    for name, how in variants.items():
        total = Score()
        for page in pages:
            total.add(score(page, how))
        figures[name] = {
            "boilerplate_share": round(total.boilerplate_share, 3),
            "recall": round(total.recall, 3),
            "lines": total.lines,
            "boilerplate_lines": total.boilerplate,
        }
        print(f"  {name:28} boilerplate {total.boilerplate:4}/{total.lines:4} lines "
              f"= {total.boilerplate_share:6.1%}   recall {total.recall:6.1%}")
    real = [page for page in pages if page.name.startswith("newspaper4k_")]
    if real and not args.quick:
        for name in (BEFORE, AFTER):
            total = Score()
            for page in real:
                total.add(score(page, variants[name]))
            figures[f"{name}, real pages only"] = {"boilerplate_share": round(total.boilerplate_share, 3),
                                                   "recall": round(total.recall, 3)}
            print(f"  {name + ', real pages only':44} boilerplate {total.boilerplate:4}/{total.lines:4} "
                  f"= {total.boilerplate_share:6.1%}   recall {total.recall:6.1%}")
    if args.show:
        for page in pages:
            print(f"  {page.name}")
            score(page, Extraction(), show=True)
    before, after = figures[BEFORE], figures[AFTER]
    print(json.dumps({"pages": len(pages), "before": before, "after": after,
                      "variants": figures if not args.quick else None}))


if __name__ == "__main__":
    main()
