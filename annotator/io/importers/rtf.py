"""Rich Text Format files: one article, or the articles of a Nexis Uni or Factiva export.

striprtf turns the RTF into plain text (paragraphs and line breaks become ``\\n``, table
cells end with ``|``); pictures, fonts, headers' formatting and hidden groups are dropped.
"""

from __future__ import annotations

from pathlib import Path

from striprtf.striprtf import rtf_to_text

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.fields import document, is_blank, normalise_newlines
from annotator.io.importers.news import split_batch
from annotator.io.importers.options import ImportOptions
from annotator.io.importers.titles import headline

_CODE_PAGES = {  # \ansicpgN: the code page of the file's \'xx escapes
    "1250": "cp1250", "1251": "cp1251", "1252": "cp1252", "1253": "cp1253", "1254": "cp1254",
    "1255": "cp1255", "1256": "cp1256", "1257": "cp1257", "1258": "cp1258", "874": "cp874",
    "932": "cp932", "936": "gbk", "949": "cp949", "950": "cp950", "65001": "utf-8",
}


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ImportFileError(path, "is not an RTF file (it does not start with {\\rtf); "
                              "open it in a word processor and save it as .rtf or .docx")
    raw = data.decode("latin-1")  # RTF itself is 7-bit; escapes carry the other characters
    try:
        text = normalise_newlines(rtf_to_text(raw, encoding=_encoding(raw), errors="replace"))
    except Exception as exc:  # striprtf raises plain errors on damaged groups
        raise ImportFileError(path, "cannot read this RTF file (it may be damaged); "
                              "save it again as .rtf or .docx") from exc
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    if is_blank(text):
        raise ImportFileError(path, "has no text (the document body is empty)")
    batch = split_batch(path, text)
    if batch is not None:
        return batch
    return [document(path, text, title=headline(text))]


def _encoding(raw: str) -> str:
    marker = raw.find("\\ansicpg", 0, 4096)
    if marker < 0:
        return "cp1252"
    digits = ""
    for char in raw[marker + 8 : marker + 14]:
        if not char.isdigit():
            break
        digits += char
    return _CODE_PAGES.get(digits, "cp1252")
