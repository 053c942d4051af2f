"""The headline of a text whose first lines may be a kicker, a date or a byline.

News copied from a web page or a wire often starts with a label above the headline:
"Breaking News", "EXCLUSIVE", "Opinion", "Updated 10:42 GMT", "By Jane Doe", "World › Asia".
The title is the first short line that is none of these. The rule looks only at the lines
before the body (a line longer than a title ends the search); when every line there is a
kicker, the first line stays the title, so a text is never left without one by this rule.
"""

from __future__ import annotations

import re

from annotator.io.importers.fields import MAX_TITLE_LINE, parse_date

_LOOKAHEAD = 6
"""Non-empty lines looked at before giving up (kicker, headline, dek, byline, date...)."""

# fmt: off
KICKERS = frozenset((
    # English
    "breaking", "breaking news", "just in", "news alert", "alert", "urgent", "developing",
    "developing story", "exclusive", "live", "live updates", "live blog", "opinion",
    "analysis", "comment", "commentary", "editorial", "explainer", "fact check", "interview",
    "feature", "review", "updated", "update", "watch", "video", "photos", "gallery", "podcast",
    "sponsored", "sponsored content", "paid content", "partner content", "advertisement",
    "latest", "latest news", "top story", "top stories", "featured", "news", "special report",
    # German, French, Spanish
    "eilmeldung", "exklusiv", "meinung", "kommentar", "analyse", "liveticker", "live-ticker",
    "aktualisiert", "anzeige", "en direct", "direct", "exclusif", "tribune", "éditorial",
    "última hora", "exclusiva", "opinión", "en vivo", "en directo", "análisis",
))
# fmt: on
_EDGE_PUNCTUATION = " \t:|•·–—-*#>[]()"
_STAMP = re.compile(
    r"^(updated|published|posted|last updated|first published|aktualisiert|veröffentlicht|stand"
    r"|mis à jour|publié|actualizado|publicado)\b.*\d",
    re.IGNORECASE,
)
# fmt: off
_DATE_WORDS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
    "sun", "am", "pm", "a.m", "p.m", "at", "gmt", "utc", "bst", "cet", "cest", "et", "est",
    "edt", "pt", "pst", "pdt", "ist", "pkt", "uhr", "um", "januar", "februar", "märz", "mai",
    "juni", "juli", "oktober", "dezember", "montag", "dienstag", "mittwoch", "donnerstag",
    "freitag", "samstag", "sonntag", "today", "yesterday", "heute", "gestern",
))
# fmt: on
_NUMBER = re.compile(r"^\d+(st|nd|rd|th|h)?$|^\d{1,4}([:./-]\d{1,4}){1,2}$")
_BYLINE = re.compile(
    r"^(?i:by|von|par|por)\s+"  # then only names: capitalised words, initials, "and", commas
    r"(?:[A-ZÀ-Þ][\w'’.-]*|and|und|et|y|&)(?:[\s,]+(?:[A-ZÀ-Þ][\w'’.-]*|and|und|et|y|&)){0,9}$"
)
_READING_TIME = re.compile(r"^(\d+\s*(min|minute|minutes|mins)\.?\s*(read|lesezeit)?|lesezeit:?\s*\d+.*)$",
                           re.IGNORECASE)
_BREADCRUMB = re.compile(r"\s*[›»>/|•·]\s*")


def headline(text: str, markdown: bool = False) -> str | None:
    """The first short line that is not a kicker; None if the text opens with a paragraph."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if markdown:
            line = re.sub(r"^#{1,6}\s+", "", line).rstrip("#").strip() or line
        if line:
            lines.append(line)
        if len(lines) == _LOOKAHEAD:
            break
    if not lines or len(lines[0]) > MAX_TITLE_LINE:
        return None
    for line in lines:
        if len(line) > MAX_TITLE_LINE:
            break  # the body has begun
        if not is_kicker(line):
            return line
    return lines[0]


def is_kicker(line: str) -> bool:
    """A label, date, time, byline, reading time or breadcrumb that stands above a headline."""
    core = line.strip(_EDGE_PUNCTUATION)
    if not core:
        return True
    if core.casefold() in KICKERS:
        return True
    # every date has a digit (its year or day): a line without one skips the costly parse
    has_digit = any(ch.isdigit() for ch in core)
    if len(core) <= 80 and (_STAMP.match(core) or (has_digit and (_is_date(core) or parse_date(core)))):
        return True
    if _BYLINE.match(core) or _READING_TIME.match(core):
        return True
    words = core.split()
    if len(words) <= 3 and len(core) <= 30 and core.isupper():
        return True  # a section label in capitals: "WORLD", "MIDDLE EAST"
    parts = [part for part in _BREADCRUMB.split(core) if part]
    return len(parts) >= 2 and len(core) <= 60 and all(len(part.split()) <= 3 for part in parts)


def _is_date(line: str) -> bool:
    """Only dates, times and zones: "Saturday, June 22, 2024 at 10:42 PKT"."""
    tokens = re.findall(r"[^\s,]+", line.casefold())
    return any(ch.isdigit() for ch in line) and all(
        token.rstrip(".") in _DATE_WORDS or _NUMBER.match(token.rstrip(".")) for token in tokens
    )
