"""How a disagreement reads on screen: each coder's version of the place, differences marked.

Plain functions from the service's values to HTML and text (no widgets), so they are tested
without a window. Offsets are the stored text's code points; slicing the Python string is
all that is needed here (no Qt cursor positions).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape

from annotator.domain.adjudication import Resolution, Unit, UnitKind, claim_values_key
from annotator.domain.model import Claim, EntityRef, EntitySpan
from annotator.services.adjudication import Disagreement

#: light backgrounds of the Okabe-Ito colours: coder 1, 2, ... (colour-blind safe)
CODER_COLOURS = ("#FCE1A4", "#C6E5F8", "#BDE6D6", "#F3D2E4", "#C2D8EE", "#F8CDB5")
CONTEXT = 90  # characters shown either side of the place
#: letters that take coder 1, 2, 3 (D is drop, E edit)
LETTERS = "ABC"


def coder_colour(index: int) -> str:
    return CODER_COLOURS[index % len(CODER_COLOURS)]


def shown_value(value: object) -> str:
    if isinstance(value, EntityRef):
        return value.text
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _marked(
    text: str, ranges: list[tuple[int, int, str]], colour: str, lo: int, hi: int,
    differing: frozenset[tuple[int, int, str]] = frozenset(),
) -> str:
    """text[lo:hi] with the ranges (start, end, caption) highlighted; those in ``differing``
    (another coder has no such entity) with the caption in red."""
    parts, at = [], lo
    for start, end, caption in sorted(ranges):
        start, end = max(start, at), min(end, hi)
        if start >= end:
            continue
        parts.append(escape(text[at:start]))
        sub = escape(caption)
        if (start, end, caption) in differing:
            sub = f'<b style="color:#B00020">{sub}</b>'
        parts.append(f'<span style="background:{colour}"><b>{escape(text[start:end])}</b></span>'
                     f'<sub>{sub}</sub>')
        at = end
    parts.append(escape(text[at:hi]))
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return prefix + "".join(parts) + suffix


def version_html(text: str, unit: Unit, coder: str, colour: str) -> str:
    """One coder's version of the unit in its context, values that differ in bold red."""
    lo, hi = max(0, unit.start - CONTEXT), min(len(text), unit.end + CONTEXT)
    if unit.kind is UnitKind.ENTITY:
        spans: tuple[EntitySpan, ...] = unit.entities.get(coder, ())
        mine = [(s.start, s.end, s.label) for s in spans]
        others = [{(s.start, s.end, s.label) for s in theirs}
                  for name, theirs in unit.entities.items() if name != coder]
        differing = frozenset(m for m in mine if any(m not in o for o in others))
        body = _marked(text, mine, colour, lo, hi, differing)
        if not spans:
            return f"<p><i>no entity here</i></p><p>{body}</p>"
        return f"<p>{body}</p>"
    claim = unit.claims.get(coder)
    if claim is None:
        return f"<p><i>no claim here</i></p><p>{_marked(text, [], colour, lo, hi)}</p>"
    body = _marked(text, [(claim.start, claim.end, "claim")], colour, lo, hi)
    rows = []
    others = [c for name, c in unit.claims.items() if name != coder and c is not None]
    for name, value in sorted(claim.values.items()):
        differs = any(_value_key(o, name) != _value_key(claim, name) for o in others)
        shown = escape(shown_value(value))
        cell = f'<b style="color:#B00020">{shown}</b>' if differs else shown
        rows.append(f"<tr><td>{escape(name)}</td><td>{cell}</td></tr>")
    for name in sorted({n for o in others for n in o.values} - set(claim.values)):
        rows.append(f'<tr><td>{escape(name)}</td><td><b style="color:#B00020">—</b></td></tr>')
    return f"<p>{body}</p><table cellspacing=4>{''.join(rows)}</table>"


def _value_key(claim: Claim, name: str) -> object:
    return dict(claim_values_key(claim)).get(name)


def summary(item: Disagreement, text: str) -> str:
    """One line of the list: where, what each coder did, and what the final layer holds."""
    unit = item.unit
    words = " ".join(text[unit.start:unit.end].split())
    words = words if len(words) <= 40 else words[:39] + "…"
    if unit.kind is UnitKind.ENTITY:
        versions = "; ".join(
            f"{c}: " + (", ".join(f"{s.text} {s.label}" for s in spans) or "none")
            for c, spans in unit.entities.items()
        )
    else:
        versions = "; ".join(f"{c}: " + ("claim" if k else "none") for c, k in unit.claims.items())
    return f"{state_caption(item)} · {unit.kind.value} '{words}' · {versions}"


def state_caption(item: Disagreement) -> str:
    if item.resolution is Resolution.OPEN:
        return "open"
    if item.resolution is Resolution.DROPPED:
        return "dropped"
    return f"{item.taken_from}'s" if item.taken_from else "edited"


def key_hints(coders: Mapping[int, str]) -> str:
    takes = " · ".join(f"{n + 1}{'/' + LETTERS[n] if n < len(LETTERS) else ''} take {name}'s"
                       for n, name in coders.items())
    return (f"{takes} · D drop · E edit the final layer · N/↓ next · P/↑ previous · "
            "PgDn next document · PgUp previous document · Ctrl+Z undo · Ctrl+Shift+Z redo")
