"""spaCy's binary training format, the DocBin (``.spacy``, https://spacy.io/api/docbin).

A DocBin is zlib-compressed msgpack holding tokenised ``Doc`` objects: their words and the
space after each (so ``doc.text`` is the text, exactly), token attributes such as the
entity tags, the ``doc.spans`` groups and, when written with ``store_user_data``, each
``doc.user_data``. spaCy's character offsets (``ent.start_char``) are code points, as the
project's are: no conversion.

Read: every Doc becomes a document; ``doc.ents`` (or, with ``spans_key``, the
``doc.spans[KEY]`` group, whose spans may overlap) its spans; string keys of
``doc.user_data`` its title and details. A file that is not a whole DocBin is refused whole.
Write: documents tokenised by a blank English pipeline; each entity set with
``Doc.char_span(..., alignment_mode="strict")``; one that does not align to the tokens is
listed (``Written.details``) and its tokens marked *missing* rather than *outside*, as
``spacy.training.offsets_to_biluo_tags`` does, so ``spacy train`` learns nothing wrong there.

spaCy is imported inside the functions that need it: importing it costs a second or two and
most commands never touch a DocBin. (pyproject.toml's contracts let only this module of
``annotator.io`` import spaCy: a DocBin is a file format, spaCy its only codec.)
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import ExportError
from annotator.io.export.files import export_error, replacing
from annotator.io.interchange.paths import files_in, why
from annotator.io.interchange.records import (
    ExportDocument,
    ForeignDocument,
    ForeignSpan,
    ReadOptions,
    Sources,
    WriteOptions,
    Written,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SUFFIXES = {".spacy"}
LANGUAGE = "en"
"""The tokeniser of exports: the project records no language (docs/formats.md)."""
MISALIGNED = "entities that do not align to spaCy's tokens (listed below)"
UNANNOTATED = "documents without entities (written with their entity annotation missing)"

# What spaCy and its msgpack reader raise on a file that is not a whole DocBin (random bytes,
# a zip, a truncated or edited file): caught here, at the file's edge, and nowhere else.
_DAMAGED = (zlib.error, ValueError, KeyError, TypeError, IndexError, AttributeError,
            OverflowError, UnicodeDecodeError, RecursionError)


# -- read --------------------------------------------------------------------------------
def detect(path: Path) -> bool:
    if path.is_dir():
        return any(p.is_file() for p in path.rglob("*.spacy"))
    return path.suffix.lower() in SUFFIXES


def read(paths: list[Path], options: ReadOptions, sources: Sources) -> None:
    for path in files_in(paths, SUFFIXES):
        sources.files += 1
        try:
            data = path.read_bytes()
        except OSError as exc:
            sources.failed.append(f"{path}: cannot be read ({why(exc)})")
            continue
        try:
            documents = read_docbin(data, path.name, options.spans_key)
        except NotADocBin as exc:
            sources.failed.append(f"{path}: {exc}")
            continue
        sources.documents.extend(documents)


class NotADocBin(Exception):
    """The reason a file is refused whole."""


def read_docbin(data: bytes, name: str, spans_key: str | None = None) -> list[ForeignDocument]:
    """Every Doc of a DocBin's bytes as a document (``name``: the file, for messages).

    The whole file is decoded before any document is returned: a file damaged halfway gives
    none of its documents (NotADocBin), never the first half.
    """
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:  # strings are looked up lazily: a damaged hash surfaces when a document is built
        docs = list(DocBin(store_user_data=True).from_bytes(data).get_docs(Vocab()))
        if spans_key is not None and docs and not any(spans_key in doc.spans for doc in docs):
            groups = sorted({key for doc in docs for key in doc.spans})
            raise NotADocBin(f"has no spans group {spans_key!r} (its groups: {', '.join(groups) or 'none'}"
                             "; leave out --spans-key to read doc.ents)")
        return [_document(doc, number, name, spans_key) for number, doc in enumerate(docs, start=1)]
    except _DAMAGED as exc:
        raise NotADocBin(f"is not a spaCy DocBin ({_damage(exc)})") from exc


def _damage(exc: BaseException) -> str:
    inner = exc.__cause__ or exc.__context__  # spaCy re-raises zlib's error as its E1014
    if isinstance(inner, zlib.error):
        exc = inner
    if isinstance(exc, zlib.error):
        if "truncated" in str(exc) or "incomplete" in str(exc):
            return "it is cut short: truncated"
        return "it is not zlib-compressed data, as a DocBin is"
    field = exc.args[0] if isinstance(exc, KeyError) and exc.args else None
    if isinstance(field, str) and field.isidentifier():
        return f"its data lacks the field {field!r}"
    reason = field if isinstance(exc, KeyError) else str(exc)
    reason = reason if isinstance(reason, str) and reason else type(exc).__name__
    return f"its data is damaged: {reason[:120]}"


def _document(doc: Doc, number: int, name: str, spans_key: str | None) -> ForeignDocument:
    where = f"doc {number}"
    document = ForeignDocument(name=name, text=doc.text)
    if not doc.text.strip():
        document.problems.append(f"{where}: has no text")
        return document
    title, document.metadata = _user_data(doc.user_data)
    document.title = title
    if spans_key is None:
        entities = list(doc.ents)
        document.skipped.extend(f"{where}: {line}" for line in _unannotated(doc))
    elif spans_key in doc.spans:
        entities = list(doc.spans[spans_key])
    else:
        entities = []
        document.skipped.append(f"{where}: has no spans group {spans_key!r}: it lands without entities")
    # a span's "line" is its Doc's number: the import's messages say "line N" for doc N
    document.spans = [ForeignSpan(e.start_char, e.end_char, e.label_, number)
                      for e in entities if e.label_.strip()]
    if len(document.spans) < len(entities):  # a spans group may hold spans with no label
        document.skipped.append(f"{where}: {len(entities) - len(document.spans)} span(s) without a "
                                "label skipped")
    if any(e.kb_id_ for e in entities):
        document.skipped.append(f"{where}: knowledge-base ids of {sum(bool(e.kb_id_) for e in entities)} "
                                "entities not kept (the project has none)")
    if doc.cats:
        document.skipped.append(f"{where}: text categories {sorted(doc.cats)} not kept (text "
                                "classification, not entities)")
    return document


def _unannotated(doc: Doc) -> Iterator[str]:
    """What the entity tags do not say: tokens tagged *missing* (``ent_iob_ == ""``) are
    neither entity nor outside in spaCy; the project has no such mark, so they land as text
    outside any entity, and this says so."""
    missing = sum(token.ent_iob == 0 for token in doc)
    if not missing:
        return
    if missing == len(doc):
        groups = [key for key, group in doc.spans.items() if len(group)]
        hint = f" (it has spans groups {', '.join(groups)}: read one with --spans-key)" if groups else ""
        yield f"has no entity annotation (every token missing, not O): it lands without entities{hint}"
    else:
        yield (f"{missing} of {len(doc)} tokens have missing entity annotation (not O): they "
               "land as text outside any entity")


def _user_data(user_data: dict[Any, Any]) -> tuple[str, dict[str, str]]:
    """The title and the other scalar string-keyed values (spaCy's own keys are tuples)."""
    values = {
        key: str(value) for key, value in user_data.items()
        if isinstance(key, str) and isinstance(value, str | int | float) and not isinstance(value, bool)
    }
    return values.pop("title", ""), values


# -- write -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Target:
    path: Path
    documents: Sequence[ExportDocument]


def write(out: Path, documents: list[ExportDocument], options: WriteOptions) -> Written:
    """OUT.spacy; with ``options.split``, OUT/train.spacy and OUT/dev.spacy."""
    targets = _targets(out, documents, options)
    nlp = _blank()
    written = Written(files=[str(t.path) for t in targets])
    for target in targets:
        data = docbin_bytes(nlp, target.documents, options.spans_key, written)
        with replacing(target.path) as temporary:
            temporary.write_bytes(data)
    return written


def _targets(out: Path, documents: list[ExportDocument], options: WriteOptions) -> list[_Target]:
    if options.split is None:
        if out.suffix.lower() != ".spacy":
            raise ExportError(f"{out}: a spaCy export needs a file name ending in .spacy (or "
                              "--split 0.8 and a folder for train.spacy and dev.spacy)")
        return [_Target(out, documents)]
    if not 0 < options.split < 1:
        raise ExportError(f"{out}: --split must be a share between 0 and 1, such as 0.8")
    if out.suffix.lower() == ".spacy" or (out.exists() and not out.is_dir()):
        raise ExportError(f"{out}: with --split the export is a folder (it receives train.spacy "
                          "and dev.spacy)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise export_error(out, exc) from exc
    train, dev = split_documents(documents, options.split, options.seed)
    return [_Target(out / "train.spacy", train), _Target(out / "dev.spacy", dev)]


def split_documents(
    documents: Sequence[ExportDocument], share: float, seed: int
) -> tuple[list[ExportDocument], list[ExportDocument]]:
    """A seeded shuffle cut at ``n * share`` rounded half up, keeping at least one document
    for train, and one for dev when there are two or more; each side in document order. The
    same seed and documents, the same split."""
    shuffled = list(documents)
    random.Random(seed).shuffle(shuffled)
    cut = min(max(math.floor(len(shuffled) * share + 0.5), 1), max(len(shuffled) - 1, 1))
    train, dev = shuffled[:cut], shuffled[cut:]
    return sorted(train, key=lambda d: d.id), sorted(dev, key=lambda d: d.id)


def _blank() -> Language:
    import spacy

    return spacy.blank(LANGUAGE)


def docbin_bytes(
    nlp: Language, documents: Sequence[ExportDocument], spans_key: str | None, written: Written
) -> bytes:
    """The DocBin of ``documents``, counting in ``written`` what it holds and what not."""
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=True)
    for document in documents:
        docbin.add(to_doc(nlp, document, spans_key, written))
        written.documents += 1
    return bytes(docbin.to_bytes())


def to_doc(nlp: Language, document: ExportDocument, spans_key: str | None, written: Written) -> Doc:
    doc = nlp.make_doc(document.text)  # the tokeniser only: no pipeline components run
    doc.user_data.update({k: v for k, v in {"title": document.title, **document.details}.items() if v})
    entities, missing = [], set()
    for span in sorted(document.spans, key=lambda s: (s.start, s.end)):
        aligned = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if aligned is not None:
            entities.append(aligned)
            continue
        nearest = doc.char_span(span.start, span.end, alignment_mode="expand")
        if nearest is not None:
            missing.update(range(nearest.start, nearest.end))
        written.count(MISALIGNED)
        written.details.append(
            f"document {document.id}: {span.label} {span.start}-{span.end} "
            f"{document.text[span.start:span.end]!r} does not align to spaCy's tokens"
            + (f" (nearest tokens: {nearest.text!r})" if nearest is not None else "")
        )
    if spans_key is not None:
        doc.spans[spans_key] = entities
    if not document.spans:
        written.count(UNANNOTATED)  # left missing: not a claim that nothing here is an entity
        return doc
    for entity in entities:
        missing.difference_update(range(entity.start, entity.end))
    doc.set_ents(entities, missing=[doc[i:i + 1] for i in sorted(missing)], default="outside")
    written.entities += len(entities)
    return doc
