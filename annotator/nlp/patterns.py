"""Checking the codebook's entity-ruler patterns before spaCy ever runs them.

Token patterns are checked with spaCy's own pattern schema (the one ``Matcher(validate=True)``
uses), so a pattern that would stop every pre-annotation is refused at import. Regular
expressions (``{"TEXT": {"REGEX": ...}}``) are analysed with Python's own regex parser and
refused when a repeat holds another open-ended repeat or alternatives, e.g. ``(a+)+$`` or
``(a|aa)+``: those can backtrack exponentially (38 s on a two-line document for ``(a+)+$``).
Everything else a regex can do stays allowed. Python's ``re`` has no time limit, so refusing
such shapes is the sound way to keep matching fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence

from annotator.domain.errors import CodebookError
from annotator.domain.model import Pattern

try:  # Python 3.11+: the parser ``re`` itself uses
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}
_SINGLE_CHARACTER = {_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY}


def describe(pattern: Pattern) -> str:
    """A pattern as one short line: its label and (the start of) its text."""
    text = pattern.pattern if isinstance(pattern.pattern, str) else json.dumps(
        [dict(t) for t in pattern.pattern], ensure_ascii=False, default=str
    )
    if len(text) > 70:
        text = text[:67] + "..."
    return f"{pattern.label} pattern {text}"


def pattern_problem(pattern: Pattern) -> str | None:
    """Why spaCy could not use ``pattern`` safely, or None when it can."""
    if isinstance(pattern.pattern, str):
        return None if pattern.pattern.strip() else "the phrase is empty"
    tokens = [dict(token) for token in pattern.pattern]
    if not tokens:
        return "it has no tokens"
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern(tokens)
    if errors:
        return _spacy_error(errors[0])
    for regex in _regexes(tokens):
        reason = regex_problem(regex)
        if reason is not None:
            return reason
    return None


def check_patterns(patterns: Sequence[Pattern], source: str = "codebook") -> None:
    """Refuse the first pattern spaCy could not use (at import, before anything is stored)."""
    for number, pattern in enumerate(patterns):
        problem = pattern_problem(pattern)
        if problem is not None:
            raise CodebookError(f"{source}: patterns[{number}] ({describe(pattern)}): {problem}")


def usable_patterns(patterns: Sequence[Pattern]) -> tuple[list[Pattern], list[str]]:
    """The patterns spaCy can use, and one warning line for each one left out (for a project
    that stored a bad pattern before patterns were checked: the run goes on without it)."""
    good: list[Pattern] = []
    warnings: list[str] = []
    for pattern in patterns:
        problem = pattern_problem(pattern)
        if problem is None:
            good.append(pattern)
        else:
            warnings.append(f"Skipped the {describe(pattern)}: {problem}")
    return good, warnings


def regex_problem(regex: str) -> str | None:
    """Why a REGEX operator is refused: it does not compile, or it can backtrack exponentially."""
    try:
        parsed = _sre_parse.parse(regex)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"the regular expression {regex!r} is not valid ({exc})"
    reason = _nested_repeat(parsed, inside_repeat=False)
    if reason is not None:
        return (
            f"the regular expression {regex!r} could take hours on some words ({reason}); "
            "write it without that"
        )
    return None


def _nested_repeat(parsed: object, inside_repeat: bool) -> str | None:
    for op, arg in parsed:  # type: ignore[attr-defined]
        if op in _REPEATS:
            low, high, body = arg
            open_ended = high != low
            if inside_repeat and open_ended:
                return "a repeat such as + or * inside another repeat"
            reason = _nested_repeat(body, inside_repeat or high > 1)
        elif op == _sre.BRANCH:
            branches = arg[1]
            if inside_repeat and not all(_is_one_character(b) for b in branches):
                return "alternatives ( | ) inside a repeat"
            reason = next((r for b in branches if (r := _nested_repeat(b, inside_repeat))), None)
        elif op == _sre.SUBPATTERN:
            reason = _nested_repeat(arg[-1], inside_repeat)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            reason = _nested_repeat(arg[1], inside_repeat)
        elif op == getattr(_sre, "ATOMIC_GROUP", None):
            reason = _nested_repeat(arg, inside_repeat)
        elif op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            reason = "a back-reference"
        else:
            reason = None
        if reason is not None:
            return reason
    return None


def _is_one_character(branch: object) -> bool:
    items = list(branch)  # type: ignore[call-overload]
    return len(items) == 1 and items[0][0] in _SINGLE_CHARACTER


def _regexes(node: object) -> Iterator[str]:
    """Every REGEX operand in a token pattern, however deep (spaCy allows REGEX in REGEX)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if str(key).upper() == "REGEX" and isinstance(value, str):
                yield value
            else:
                yield from _regexes(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _regexes(value)


def _spacy_error(error: str) -> str:
    """'[pattern -> 0 -> LOWR] Extra inputs are not permitted' -> 'token 1, LOWR: not ...'."""
    where, _, message = error.partition("] ")
    parts = [p for p in where.strip("[").split(" -> ") if p != "pattern"]
    place = []
    if parts and parts[0].isdigit():
        place.append(f"token {int(parts[0]) + 1}")
        parts = parts[1:]
    if parts:
        place.append(parts[0])
    message = message.strip() or error
    if message == "Extra inputs are not permitted":
        known = len(parts) != 1
        message = "not an operator spaCy knows" if known else "spaCy has no token attribute of that name"
    return f"{', '.join(place)}: {message[:1].lower() + message[1:]}" if place else message
