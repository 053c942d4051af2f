"""`annotator adjudicate PROJECT --auto`: the coders' agreed units into the final layer."""

from __future__ import annotations

import json
from argparse import Namespace
from typing import Any

from annotator.cli.agreement_cmd import _names
from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.domain.adjudication import FINAL_LAYER
from annotator.services.adjudication import Adjudication, AutoResult


def register(sub: Any) -> None:
    p = sub.add_parser(
        "adjudicate",
        help="adjudication: fill the final layer with what the coders agree on, list what is left",
        description=(
            f"Adjudication of the reliability sample (every document coded twice when the project "
            f"has no sample): documents at least two of the coders marked done. With --auto, every "
            f"entity and claim all of them coded the same goes to the coder layer {FINAL_LAYER!r}; "
            "without it nothing is written. Prints the disagreements left per document, for the "
            "PI to resolve in the app (Team -> Adjudicate). Running it again changes nothing."
        ),
    )
    p.add_argument("project", type=project_location, help="the project file (.annotator)")
    p.add_argument("--auto", action="store_true",
                   help="copy the agreed entities and claims to the final layer")
    p.add_argument("--coders", type=_names, metavar="A,B,...",
                   help="the coders whose work is adjudicated (default: every coder)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=cmd_adjudicate)


def cmd_adjudicate(args: Namespace) -> int:
    with open_project(args.project, read_only=not args.auto, require_labels=False) as project:
        service = Adjudication(project, args.coders)
        if args.auto:
            result = service.auto()
        else:
            coders = service.coders()
            result = AutoResult(coders, tuple(service.document(d) for d in service.documents()), 0, 0)
    if args.json:
        print(json.dumps(as_dict(result), indent=2, ensure_ascii=False))
    else:
        print(render(result, args.auto))
    return 0


def as_dict(result: AutoResult) -> dict[str, Any]:
    return {
        "coders": list(result.coders),
        "added": {"entities": result.entities_added, "claims": result.claims_added},
        "documents": [
            {"document_id": d.document_id, "title": d.title, "coders": list(d.coders),
             "agreed": d.agreed, "disagreements": len(d.disagreements), "open": d.open}
            for d in result.documents
        ],
        "open": result.open,
    }


def render(result: AutoResult, wrote: bool) -> str:
    lines = [f"Coders: {', '.join(result.coders)}. Documents to adjudicate: {len(result.documents)}."]
    if wrote:
        lines.append(
            f"Added to the final layer: {result.entities_added} entities, {result.claims_added} claims."
        )
    if result.documents:
        lines += ["", "document  agreed  disagreements  open  title"]
        for d in result.documents:
            lines.append(
                f"{d.document_id:>8}  {d.agreed:>6}  {len(d.disagreements):>13}  {d.open:>4}  {d.title[:40]}"
            )
    lines += ["", f"Open disagreements: {result.open}"
              + (" (resolve them in the app: Team -> Adjudicate)" if result.open else "")]
    return "\n".join(lines)
