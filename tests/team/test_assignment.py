"""Issue 11 point 3: the assignment rule (domain.assignment), as properties over random studies."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.assignment import (
    ALL,
    AssignmentPlan,
    Overlap,
    check_coder_names,
    parse_overlap,
    plan_assignment,
    sample_size,
)
from annotator.domain.errors import AnnotatorError, AssignmentError, CoderError
from annotator.domain.ids import DocumentId

NAMES = ["alice", "bob", "carol", "dan", "erin", "fay"]

coders_st = st.integers(1, 6).map(lambda n: NAMES[:n])
shares = st.sampled_from([0.0, 0.05, 0.1, 0.15, 0.2, 0.5, 1.0]).map(Overlap)
seeds = st.integers(0, 2**32)


def docs(n: int, first: int = 1) -> list[DocumentId]:
    return [DocumentId(i) for i in range(first, first + n)]


def apply(
    existing: dict[DocumentId, set[str]], sample: set[DocumentId], plan: AssignmentPlan
) -> tuple[dict[DocumentId, set[str]], set[DocumentId]]:
    after = {d: set(c) for d, c in existing.items()}
    for document, coder in plan.pairs:
        after.setdefault(document, set()).add(coder)
    return after, sample | set(plan.sample)


def non_sample_loads(
    assignment: dict[DocumentId, set[str]], sample: set[DocumentId], coders: list[str]
) -> Counter[str]:
    loads = Counter({c: 0 for c in coders})
    for document, holders in assignment.items():
        if document not in sample:
            loads.update(holders)
    return loads


@given(n=st.integers(0, 120), coders=coders_st, overlap=shares, seed=seeds)
def test_one_run_places_every_document_samples_on_everyone_and_deals_evenly(
    n: int, coders: list[str], overlap: Overlap, seed: int
) -> None:
    documents = docs(n)
    plan = plan_assignment(documents, coders, overlap, seed)
    assignment, sample = apply({}, set(), plan)
    assert set(assignment) == set(documents)  # every document has a coder
    assert len(plan.pairs) == len(set(plan.pairs))  # nobody gets a document twice
    assert len(sample) == sample_size(n, overlap)
    for document in documents:
        if document in sample:
            assert assignment[document] == set(coders)
        else:
            assert len(assignment[document]) == 1  # the rest: one coder each
    loads = non_sample_loads(assignment, sample, coders)
    assert max(loads.values()) - min(loads.values()) <= 1


@given(n=st.integers(0, 80), coders=coders_st, overlap=shares, seed=seeds)
def test_the_same_seed_gives_the_same_plan(n: int, coders: list[str], overlap: Overlap, seed: int) -> None:
    documents = docs(n)
    assert plan_assignment(documents, coders, overlap, seed) == plan_assignment(
        list(reversed(documents)), coders, overlap, seed
    )


def test_other_seeds_draw_other_samples() -> None:
    documents = docs(200)
    samples = {plan_assignment(documents, ["a", "b"], Overlap(0.1), seed).sample for seed in range(5)}
    assert len(samples) == 5
    assert samples != {tuple(documents[:20])}  # drawn, not the first twenty


@settings(max_examples=60)
@given(
    batches=st.lists(st.integers(0, 40), min_size=1, max_size=5),
    coders=coders_st,
    overlap=shares,
    seed=seeds,
)
def test_reruns_after_imports_only_add_and_keep_loads_within_one(
    batches: list[int], coders: list[str], overlap: Overlap, seed: int
) -> None:
    """Each batch is an import followed by `annotator assign` again with the same coders."""
    documents: list[DocumentId] = []
    assignment: dict[DocumentId, set[str]] = {}
    sample: set[DocumentId] = set()
    for run, size in enumerate(batches):
        before = {d: set(c) for d, c in assignment.items()}
        new = docs(size, first=len(documents) + 1)
        documents += new
        plan = plan_assignment(documents, coders, overlap, seed + run, assignment, sample)
        assert all(document in new for document, _coder in plan.pairs)  # old work is left alone
        assert len(plan.sample) == sample_size(size, overlap)
        assert set(plan.sample) <= set(new)
        assignment, sample = apply(assignment, sample, plan)
        for document, holders in before.items():
            assert assignment[document] == holders  # nothing moved, nothing taken away
        assert set(assignment) == set(documents)
        assert all(assignment[d] == set(coders) for d in sample)
        loads = non_sample_loads(assignment, sample, coders)
        assert max(loads.values()) - min(loads.values()) <= 1


@settings(max_examples=60)
@given(
    existing=st.dictionaries(
        st.integers(1, 60).map(DocumentId),
        st.sets(st.sampled_from([*NAMES, "zoe"]), min_size=1, max_size=3),
        max_size=40,
    ),
    old_sample=st.sets(st.integers(1, 60).map(DocumentId), max_size=8),
    coders=coders_st,
    overlap=st.one_of(shares, st.just(ALL)),
    seed=seeds,
)
def test_never_takes_work_away_from_any_earlier_assignment(
    existing: dict[DocumentId, set[str]], old_sample: set[DocumentId],
    coders: list[str], overlap: Overlap, seed: int,
) -> None:
    """Whatever came before (hand-made, other coders, a coder left out of this run)."""
    documents = docs(60)
    plan = plan_assignment(documents, coders, overlap, seed, existing, old_sample)
    assert not {(d, c) for d, c in plan.pairs} & {(d, c) for d, cs in existing.items() for c in cs}
    assignment, sample = apply(existing, old_sample, plan)
    for document, holders in existing.items():
        assert holders <= assignment[document]
    assert set(documents) <= set(assignment)
    for document in sample:
        assert set(coders) <= assignment[document]  # the sample, new or old, is on every coder
    if not overlap.everything:
        placed = {d for d in documents if not existing.get(d)}
        assert {d for d, _c in plan.pairs if d not in sample} <= placed


def test_a_coder_who_joins_later_gets_the_sample_and_the_new_documents() -> None:
    first = plan_assignment(docs(40), ["alice", "bob"], Overlap(0.1), 1)
    assignment, sample = apply({}, set(), first)
    second = plan_assignment(docs(46), ["alice", "bob", "carol"], Overlap(0.1), 2, assignment, sample)
    carol = {d for d, c in second.pairs if c == "carol"}
    assert set(first.sample) <= carol
    assert len(second.sample) == 1  # 10 % of the 6 new documents, rounded up to one
    # the 5 new documents outside the sample go to carol first: she has none yet
    assert {d for d, c in second.pairs if d > 40 and d not in second.sample} <= carol


@given(n=st.integers(1, 50), coders=coders_st, seed=seeds)
def test_overlap_all_gives_every_document_to_every_coder(n: int, coders: list[str], seed: int) -> None:
    existing = {DocumentId(1): {coders[0]}}
    plan = plan_assignment(docs(n), coders, ALL, seed, existing)
    assignment, _sample = apply(existing, set(), plan)
    assert all(assignment[d] == set(coders) for d in docs(n))


@pytest.mark.parametrize(
    ("share", "new", "size"),
    [(0.15, 20, 3), (0.15, 10, 2), (0.1, 25, 3), (0.1, 3, 1), (0.15, 0, 0), (0.0, 50, 0), (1.0, 7, 7)],
)
def test_sample_share_applies_to_new_documents_rounded_at_least_one(
    share: float, new: int, size: int
) -> None:
    assert sample_size(new, Overlap(share)) == size


@pytest.mark.parametrize(
    ("text", "share", "everything"),
    [("15%", 0.15, False), ("0.15", 0.15, False), (" 20 % ", 0.2, False), ("ALL", 1.0, True),
     ("0", 0.0, False), ("100%", 1.0, False)],
)
def test_overlap_is_a_percentage_a_fraction_or_all(text: str, share: float, everything: bool) -> None:
    overlap = parse_overlap(text)
    assert overlap.share == pytest.approx(share) and overlap.everything is everything


@pytest.mark.parametrize(
    ("text", "says"),
    [("15", "write 15%"), ("abc", "not a share"), ("-5%", "between 0% and 100%"),
     ("120%", "between 0% and 100%"), ("nan", "between"), ("", "not a share")],
)
def test_a_bad_overlap_is_one_clear_line(text: str, says: str) -> None:
    with pytest.raises(AssignmentError) as error:
        parse_overlap(text)
    assert says in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("names", "says"),
    [(["alice", "bob", "alice"], "alice is named twice"), (["alice", "Alice"], "twice (alice and Alice)"),
     ([""], "name at least one coder"), (["alice", ""], "empty"), (["a\nb"], "line break"),
     (["x" * 201], "longer than 200")],
)
def test_coder_names_are_checked(names: list[str], says: str) -> None:
    with pytest.raises((AssignmentError, CoderError)) as error:
        check_coder_names(names)
    assert isinstance(error.value, AnnotatorError) and says in str(error.value)


def test_names_are_stripped() -> None:
    assert check_coder_names([" alice", "bob "]) == ["alice", "bob"]
