"""Fine-tune a pipeline's entity recognizer with spaCy's own training API (issue 15).

In: plain values (texts with their complete entities, in the labels the model is to learn).
Out: a spaCy pipeline folder. The training is spaCy's: a config whose ``ner`` is *sourced*
from the base pipeline (with what it listens to), ``spacy.training.initialize.init_nlp`` and
``spacy.training.loop.train``, which evaluates on the held-out share every epoch, keeps the
best checkpoint (``model-best``) and stops early once the held-out F1 stops improving
(``patience``). Two registered hooks of that config report to the caller: a logger (epoch,
loss, held-out F1 after every evaluation) and a ``before_update`` callback that stops the
loop by raising when the caller cancels or the time is up.

Every text is *completely* annotated: its entities are set with ``Doc.set_ents(...,
default="outside")``, so every other token is a known "no entity" (O). A suggestion a coder
rejected is therefore a negative example without being listed: its tokens are O unless the
coder drew an entity there.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import ModelError
from annotator.domain.training import TrainingStep
from annotator.nlp.models import (
    _package_data_dir,
    describe_error,
    exclusions,
    is_installed,
    load_ner_pipeline,
)
from annotator.nlp.pieces import pieces

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Pieces (paragraphs) per update.
BATCH_SIZE = 8
#: Epochs without a better held-out F1 before training stops.
PATIENCE_EPOCHS = 8
MAX_EPOCHS = 40


@dataclass(frozen=True)
class TrainingText:
    """A text and its complete entities ``(start, end, label)`` (code points, end-exclusive)."""

    text: str
    entities: tuple[tuple[int, int, str], ...]


class TrainingStopped(Exception):
    """Raised inside spaCy's loop to leave it: ``cancelled`` by the user, else the time is up."""

    def __init__(self, cancelled: bool) -> None:
        super().__init__("cancelled" if cancelled else "time is up")
        self.cancelled = cancelled


@dataclass
class _Hooks:
    on_step: Callable[[TrainingStep], None]
    cancel: Event | None
    deadline: float | None
    started: float
    best: float = 0.0


#: Hooks of the trainings running now, by the key their config names (one per training).
_HOOKS: dict[str, _Hooks] = {}
_registered = False


def _register() -> None:
    """Register the logger and the callback the configs name (once, lazily: spaCy is heavy)."""
    global _registered
    if _registered:
        return
    from spacy.util import registry

    @registry.loggers("annotator.training_progress.v1")
    def progress_logger(key: str) -> Callable[..., Any]:
        def setup(nlp: Language, stdout: Any = None, stderr: Any = None) -> Any:
            hooks = _HOOKS[key]

            def log_step(info: dict[str, Any] | None) -> None:
                if info is None:
                    return
                f1 = float(info.get("score") or 0.0)
                hooks.best = max(hooks.best, f1)
                loss = sum(float(v) for v in (info.get("losses") or {}).values())
                hooks.on_step(TrainingStep(
                    int(info.get("epoch", 0)) + 1, int(info.get("step", 0)), loss, f1, hooks.best,
                    time.monotonic() - hooks.started, MAX_EPOCHS,
                ))

            return log_step, lambda: None

        return setup

    @registry.callbacks("annotator.training_stop.v1")
    def stop_callback(key: str) -> Callable[[Language, dict[str, Any]], None]:
        def before_update(nlp: Language, args: dict[str, Any]) -> None:
            hooks = _HOOKS[key]
            if hooks.cancel is not None and hooks.cancel.is_set():
                raise TrainingStopped(cancelled=True)
            if hooks.deadline is not None and time.monotonic() > hooks.deadline:
                raise TrainingStopped(cancelled=False)

        return before_update

    _registered = True


def _config_dir(base: str) -> Path | None:
    if is_installed(base) and not Path(base).exists():
        return _package_data_dir(base)
    path = Path(base).expanduser()
    return path if (path / "config.cfg").is_file() else None


def training_config(base: str, workdir: Path, key: str, steps_per_epoch: int, seed: int) -> Any:
    """The spaCy config: ``ner`` (and any embedder it listens to) sourced from ``base``."""
    from spacy.util import load_config
    from thinc.api import Config

    config_dir = _config_dir(base)
    if config_dir is None:
        raise ModelError(f"spaCy model '{base}' is not installed or has no config.cfg to train from.")
    base_config = load_config(config_dir / "config.cfg")
    drop = exclusions(base_config, lambda factory: factory not in {"ner", "beam_ner"})
    sourced = [name for name in base_config["nlp"]["pipeline"] if name not in drop]
    if not any(base_config["components"][n].get("factory") in {"ner", "beam_ner"} for n in sourced):
        raise ModelError(f"spaCy model '{base}' has no 'ner' component to fine-tune.")
    components = {name: {"source": str(base)} for name in sourced}
    meta_file = config_dir / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    vectors = (meta.get("vectors") or {}).get("width", 0) > 0  # md/lg: copy their vectors
    return Config({
        "paths": {"train": str(workdir / "train.spacy"), "dev": str(workdir / "dev.spacy")},
        "system": {"seed": seed, "gpu_allocator": None},
        "nlp": {
            "lang": base_config["nlp"]["lang"],
            "pipeline": sourced,
            "batch_size": 64,
            "tokenizer": base_config["nlp"]["tokenizer"],
        },
        "components": components,
        "corpora": {
            "train": {"@readers": "spacy.Corpus.v1", "path": "${paths.train}", "max_length": 0},
            "dev": {"@readers": "spacy.Corpus.v1", "path": "${paths.dev}", "max_length": 0},
        },
        "training": {
            "train_corpus": "corpora.train",
            "dev_corpus": "corpora.dev",
            "seed": "${system.seed}",
            "gpu_allocator": "${system.gpu_allocator}",
            "dropout": 0.2,
            "accumulate_gradient": 1,
            "patience": PATIENCE_EPOCHS * steps_per_epoch,
            "max_epochs": MAX_EPOCHS,
            "max_steps": 0,
            "eval_frequency": steps_per_epoch,
            "frozen_components": [],
            "annotating_components": [],
            "before_to_disk": None,
            "before_update": {"@callbacks": "annotator.training_stop.v1", "key": key},
            "batcher": {"@batchers": "spacy.batch_by_sequence.v1", "size": BATCH_SIZE, "get_length": None},
            "logger": {"@loggers": "annotator.training_progress.v1", "key": key},
            "optimizer": {
                "@optimizers": "Adam.v1", "beta1": 0.9, "beta2": 0.999, "L2_is_weight_decay": True,
                "L2": 0.01, "grad_clip": 1.0, "use_averages": True, "eps": 1e-8, "learn_rate": 0.001,
            },
            "score_weights": {"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
        },
        "pretraining": {},
        "initialize": {
            "vectors": str(base) if vectors else None,
            "init_tok2vec": None,
            "vocab_data": None,
            "lookups": None,
            "before_init": None,
            "after_init": None,
            "components": {},
            "tokenizer": {},
        },
    })


def training_docs(nlp: Language, texts: Iterable[TrainingText]) -> list[Doc]:
    """One ``Doc`` per paragraph with its complete entities (every other token O)."""
    docs: list[Doc] = []
    for item in texts:
        for offset, piece in pieces(item.text):
            inside = [(s - offset, e - offset, label) for s, e, label in item.entities
                      if s >= offset and e <= offset + len(piece)]
            docs.append(entity_doc(nlp, piece, inside))
    return docs


def entity_doc(nlp: Language, text: str, entities: Iterable[tuple[int, int, str]]) -> Doc:
    """``text`` tokenized, with ``entities`` as its complete entities (every other token O).

    An entity whose edges fall inside a token is widened to whole tokens; one that then
    overlaps an earlier entity is left out (a Doc holds no overlapping entities)."""
    doc = nlp.make_doc(text)
    spans = []
    taken: set[int] = set()
    for start, end, label in sorted(entities):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None or taken.intersection(range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        spans.append(span)
    doc.set_ents(spans, default="outside")
    return doc


def in_base_labels(
    nlp: Language, texts: Sequence[TrainingText], equivalents: Mapping[str, Collection[str]]
) -> list[TrainingText]:
    """``texts`` with each entity under the base model's own label for that very span, when
    that label means the same to the project (``equivalents``: label -> the base labels that
    may stand for it, e.g. GPE -> LOC, FAC); every other entity keeps its label.

    A study's LOCATION is learnt as GPE, but the base model calls "the Alps" LOC and "Forbes
    Field" FAC; teaching it GPE there would make it unlearn a distinction that costs the study
    nothing (both map to LOCATION) and spend the few examples a study has on that instead of
    on what the coders corrected."""
    found: list[dict[tuple[int, int], str]] = [{} for _ in texts]
    parts = (
        (piece, (index, offset))
        for index, item in enumerate(texts)
        for offset, piece in pieces(item.text)
    )
    for doc, (index, offset) in nlp.pipe(parts, as_tuples=True, batch_size=BATCH_SIZE):
        for ent in doc.ents:
            found[index][(offset + ent.start_char, offset + ent.end_char)] = ent.label_
    result = []
    for item, labelled in zip(texts, found, strict=True):
        entities = []
        for start, end, label in item.entities:
            theirs = labelled.get((start, end))
            entities.append((start, end, theirs if theirs in equivalents.get(label, ()) else label))
        result.append(TrainingText(item.text, tuple(entities)))
    return result


def train_ner(
    base: str,
    train: Sequence[TrainingText],
    dev: Sequence[TrainingText],
    out: Path,
    *,
    seed: int = 0,
    max_minutes: float | None = None,
    on_step: Callable[[TrainingStep], None] = lambda step: None,
    cancel: Event | None = None,
    meta: Mapping[str, Any] | None = None,
    equivalents: Mapping[str, Collection[str]] | None = None,
) -> bool:
    """Fine-tune ``base``'s recognizer on ``train``, choosing the best epoch on ``dev``, and
    write the pipeline to the new folder ``out`` (with ``meta`` merged into its meta.json).
    With ``equivalents``, entities the base model already finds with an equivalent label keep
    that label (:func:`in_base_labels`).

    ``out`` appears whole or not at all: spaCy works in a temporary folder beside it, which
    is renamed to ``out`` once complete and removed otherwise. Returns False when cancelled
    (nothing written); a run stopped by ``max_minutes`` keeps its best epoch so far.
    """
    import shutil

    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import DIR_MODEL_BEST, DIR_MODEL_LAST
    from spacy.training.loop import train as spacy_train

    _register()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".training-", dir=out.parent))
    key = uuid.uuid4().hex
    try:
        import spacy

        blank = spacy.blank("en")
        if equivalents:
            reader = load_ner_pipeline(base).nlp
            train, dev = in_base_labels(reader, train, equivalents), in_base_labels(reader, dev, equivalents)
        train_docs = training_docs(blank, train)
        dev_docs = training_docs(blank, dev)
        if not train_docs or not dev_docs:
            raise ModelError("There is not enough text to train on and to evaluate with.")
        DocBin(docs=train_docs).to_disk(work / "train.spacy")
        DocBin(docs=dev_docs).to_disk(work / "dev.spacy")
        steps = max(1, math.ceil(len(train_docs) / BATCH_SIZE))
        started = time.monotonic()
        deadline = started + max_minutes * 60 if max_minutes else None
        _HOOKS[key] = _Hooks(on_step, cancel, deadline, started)
        try:
            nlp = init_nlp(training_config(base, work, key, steps, seed))
        except ModelError:
            raise
        except Exception as exc:  # a base spaCy cannot source from
            raise ModelError(f"spaCy model '{base}' could not be prepared for training: "
                             f"{describe_error(exc)}") from exc
        _add_labels(nlp, train_docs)
        if equivalents:
            _score_as_the_project(nlp, equivalents)
        (work / "output").mkdir()
        try:
            spacy_train(nlp, work / "output", stdout=io.StringIO(), stderr=io.StringIO())
        except TrainingStopped as stop:
            if stop.cancelled:
                return False
        best = work / "output" / DIR_MODEL_BEST
        if not best.is_dir():
            best = work / "output" / DIR_MODEL_LAST
        update_meta(best, meta or {})
        best.rename(out)
        return True
    finally:
        _HOOKS.pop(key, None)
        shutil.rmtree(work, ignore_errors=True)


def _add_labels(nlp: Language, docs: Sequence[Doc]) -> None:
    """Labels the base recognizer does not know yet (a study's own, e.g. PARTY): sourced
    components are not initialized again, so new labels are added by hand."""
    labels = {ent.label_ for doc in docs for ent in doc.ents}
    for name, component in nlp.pipeline:
        if nlp.get_pipe_meta(name).factory in {"ner", "beam_ner"}:
            for label in sorted(labels - set(component.labels)):  # type: ignore[attr-defined]
                component.add_label(label)  # type: ignore[attr-defined]


def _score_as_the_project(nlp: Language, equivalents: Mapping[str, Collection[str]]) -> None:
    """Score the held-out share (which picks the best epoch and stops training) the way the
    project will see the suggestions: equivalent labels count as one (GPE or LOC, both the
    study's LOCATION) and labels the project does not use (DATE, MONEY) are not counted."""
    from spacy.scorer import get_ner_prf
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    as_one = {alt: label for label, alts in equivalents.items() for alt in (label, *alts)}

    def relabelled(doc: Doc) -> Doc:
        copy = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        copy.set_ents([Span(copy, e.start, e.end, label=as_one[e.label_]) for e in doc.ents
                       if e.label_ in as_one], default="outside")
        return copy

    def score(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return get_ner_prf([Example(relabelled(ex.predicted), relabelled(ex.reference)) for ex in examples])

    for name, component in nlp.pipeline:
        if nlp.get_pipe_meta(name).factory in {"ner", "beam_ner"}:
            component.scorer = score  # type: ignore[attr-defined]


def update_meta(folder: Path, extra: Mapping[str, Any]) -> None:
    """Merge ``extra`` into the pipeline's meta.json, replacing the file in one step."""
    path = folder / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(extra)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)
