"""The agreement service on real project files: which documents and layers count, and figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.domain.errors import AgreementError
from annotator.domain.model import DocumentStatus, FieldKind, MeasurementLevel, SpanStatus
from annotator.services.agreement import compute_agreement
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.reliability.study import add_claim, add_document, add_entities, link, set_status

TEXT = "Sharif said the army will leave Lahore. Khan demanded new elections in Karachi today."
DONE = DocumentStatus.DONE


@pytest.fixture
def project(tmp_path: Path):
    with Project(tmp_path / "study.annotator", create=True, codebook=SMALL_CODEBOOK) as opened:
        yield opened


def figure(report, name):  # type: ignore[no-untyped-def]
    return next(v for v in report.variables if v.name == name)


def test_only_documents_two_chosen_coders_marked_done_count(project: Project) -> None:
    both, one, unfinished = (add_document(project, TEXT + f" {i}") for i in range(3))
    for doc in (both, one, unfinished):
        for coder in ("alice", "bob"):
            add_claim(project, doc, coder, 0, 38, {"form": "statement"})
    set_status(project, both, "alice", DONE)
    set_status(project, both, "bob", DONE)
    set_status(project, one, "alice", DONE)
    set_status(project, one, "bob", DocumentStatus.IN_PROGRESS)
    set_status(project, unfinished, "alice", DocumentStatus.IN_PROGRESS)
    set_status(project, unfinished, "bob", DocumentStatus.IN_PROGRESS)

    report = compute_agreement(project)
    assert report.documents == (both,) and report.claim_units == 1
    wider = compute_agreement(project, include_unfinished=True)
    assert wider.documents == (both, one, unfinished) and wider.claim_units == 3


def test_a_third_coder_who_has_not_finished_is_missing_not_disagreeing(project: Project) -> None:
    doc = add_document(project, TEXT)
    for coder, form in (("alice", "statement"), ("bob", "statement"), ("carol", "demand")):
        add_claim(project, doc, coder, 0, 38, {"form": form})
    set_status(project, doc, "alice", DONE)
    set_status(project, doc, "bob", DONE)
    set_status(project, doc, "carol", DocumentStatus.IN_PROGRESS)
    other = add_document(project, TEXT + " 2")
    for coder, form in (("alice", "demand"), ("bob", "statement")):
        add_claim(project, other, coder, 0, 38, {"form": form})
        set_status(project, other, coder, DONE)

    report = compute_agreement(project)
    form = figure(report, "form")
    assert report.coders == ("alice", "bob", "carol")
    assert form.pairable_values == 4 and form.percent_agreement == 0.5
    assert report.unit_disagreements == ()  # carol's claim is not her coding yet


def test_chosen_coders_and_unknown_ones(project: Project) -> None:
    doc = add_document(project, TEXT)
    for coder in ("alice", "bob", "carol"):
        add_claim(project, doc, coder, 0, 38, {"form": "statement"})
        set_status(project, doc, coder, DONE)
    assert compute_agreement(project, coders=["alice", "carol"]).coders == ("alice", "carol")
    with pytest.raises(AgreementError, match="no coder 'dave'"):
        compute_agreement(project, coders=["alice", "dave"])
    with pytest.raises(AgreementError, match="at least two coders"):
        compute_agreement(project, coders=["alice"])
    with pytest.raises(AgreementError, match="1,000 draws"):
        compute_agreement(project, draws=10)


def test_only_a_coders_own_accepted_entities_are_their_coding(project: Project) -> None:
    doc = add_document(project, TEXT)
    add_entities(project, doc, None, [(71, 78, "LOCATION")])  # a shared suggestion: nobody's
    add_entities(project, doc, "alice", [(0, 6, "PERSON"), (32, 38, "LOCATION")])
    add_entities(project, doc, "bob", [(0, 6, "PERSON")])
    add_entities(project, doc, "bob", [(32, 38, "LOCATION")], status=SpanStatus.REJECTED)
    for coder in ("alice", "bob"):
        set_status(project, doc, coder, DONE)

    report = compute_agreement(project)
    overall = report.entities
    assert overall.f1_exact == pytest.approx(2 * 1 / 3) and overall.units == 2
    (disagreement,) = overall.disagreements
    assert (disagreement.start, disagreement.end) == (32, 38)
    assert disagreement.values == {"alice": "LOCATION 32-38", "bob": None}
    person = next(f for f in report.entity_labels if f.label == "PERSON")
    assert person.f1_exact == 1.0 and person.alpha_tokens.alpha is not None


def test_token_alpha_matches_the_package_on_the_same_tokens(project: Project) -> None:
    doc = add_document(project, TEXT)
    add_entities(project, doc, "alice", [(0, 6, "PERSON"), (32, 38, "LOCATION"), (40, 44, "PERSON")])
    add_entities(project, doc, "bob", [(0, 6, "PERSON"), (32, 38, "ORG"), (71, 78, "LOCATION")])
    for coder in ("alice", "bob"):
        set_status(project, doc, coder, DONE)
    report = compute_agreement(project)
    # tokens: Sharif said the army will leave Lahore . Khan demanded new elections in Karachi today .
    none, person, org, location = 0, 1, 2, 3
    alice = [person] + [none] * 5 + [location, none, person] + [none] * 7
    bob = [person] + [none] * 5 + [org, none, none] + [none] * 4 + [location, none, none]
    expected = krippendorff.alpha(np.array([alice, bob], dtype=float), level_of_measurement="nominal")
    assert report.entities.alpha_tokens.alpha == pytest.approx(expected)
    assert report.entities.alpha_tokens.units == 16


def test_entity_references_compare_the_linked_words_not_row_ids(project: Project) -> None:
    doc = add_document(project, TEXT)
    alice = add_entities(project, doc, "alice", [(0, 6, "PERSON"), (40, 44, "PERSON")])
    bob = add_entities(project, doc, "bob", [(0, 6, "PERSON"), (40, 44, "PERSON")])
    add_claim(project, doc, "alice", 0, 38, {"claimant": link(alice[(0, 6)], "Sharif")})
    add_claim(project, doc, "bob", 0, 38, {"claimant": link(bob[(0, 6)], "Sharif")})
    add_claim(project, doc, "alice", 40, 85, {"claimant": link(alice[(40, 44)], "Khan")})
    add_claim(project, doc, "bob", 40, 85, {"claimant": link(bob[(0, 6)], "Sharif")})
    for coder in ("alice", "bob"):
        set_status(project, doc, coder, DONE)
    claimant = figure(compute_agreement(project), "claimant")
    assert claimant.percent_agreement == 0.5
    (disagreement,) = claimant.disagreements
    assert disagreement.values == {"alice": "Khan", "bob": "Sharif"}
    assert (disagreement.document_id, disagreement.start, disagreement.end) == (doc, 40, 85)


def test_variables_at_their_levels_and_multiple_choice_values_apart(project: Project) -> None:
    doc = add_document(project, TEXT)
    claims = [
        ("alice", 0, 38, {"form": "statement", "frames": ("security",), "position": 1, "amount": 10,
                          "anonymous": True, "claim_date": date(2026, 1, 1), "note": "a"}),
        ("bob", 0, 38, {"form": "statement", "frames": ("security", "economy"), "position": 0,
                        "amount": 12, "anonymous": True, "claim_date": date(2026, 1, 3), "note": "b"}),
        ("alice", 40, 85, {"form": "demand", "frames": ("rights",), "position": -1, "amount": 3,
                           "anonymous": False}),
        ("bob", 40, 85, {"form": "statement", "position": -1, "amount": 3, "anonymous": False,
                         "claim_date": date(2026, 2, 1)}),
    ]
    for coder, start, end, values in claims:
        add_claim(project, doc, coder, start, end, values)
    for coder in ("alice", "bob"):
        set_status(project, doc, coder, DONE)
    report = compute_agreement(project)
    names = [v.name for v in report.variables]
    assert "note" not in names  # free text has no agreement
    assert names == ["claimant", "form", "frames=security", "frames=economy", "frames=rights",
                     "position", "amount", "anonymous", "claim_date"]
    levels = {v.name: v.level for v in report.variables}
    assert levels["position"] == "ordinal" and levels["amount"] == "ratio"
    assert levels["claim_date"] == "interval" and levels["frames=economy"] == "nominal"
    # bob ticked no frame in the second claim: not coded, so only the first claim pairs
    assert figure(report, "frames=security").pairable_values == 2
    assert figure(report, "frames=economy").disagreements[0].values == {"alice": "0", "bob": "1"}
    date_figure = figure(report, "claim_date")  # bob alone dated the second claim: missing
    assert date_figure.pairable_values == 2
    assert date_figure.disagreements[0].values == {"alice": "2026-01-01", "bob": "2026-01-03"}
    form = figure(report, "form")
    assert form.kappa_kind == "cohen"
    assert form.kappa == pytest.approx(cohen_kappa_score(["statement", "demand"], ["statement", "statement"]))


def test_the_codebook_level_decides_a_numbers_alpha(tmp_path: Path) -> None:
    from dataclasses import replace

    fields = tuple(
        replace(f, level=MeasurementLevel.INTERVAL) if f.kind is FieldKind.NUMBER else f
        for f in SMALL_CODEBOOK.fields
    )
    codebook = replace(SMALL_CODEBOOK, fields=fields)
    with Project(tmp_path / "levels.annotator", create=True, codebook=codebook) as project:
        doc = add_document(project, TEXT)
        amounts = {"alice": [10, 20, 30, 41], "bob": [11, 20, 33, 40]}
        for coder, values in amounts.items():
            for i, amount in enumerate(values):
                add_claim(project, doc, coder, i * 20, i * 20 + 15, {"amount": amount})
            set_status(project, doc, coder, DONE)
        amount = figure(compute_agreement(project), "amount")
    assert amount.level == "interval"
    matrix = np.array([amounts["alice"], amounts["bob"]], dtype=float)
    assert amount.alpha.alpha == pytest.approx(krippendorff.alpha(matrix, level_of_measurement="interval"))


def test_unitizing_disagreements_and_unit_f1(project: Project) -> None:
    doc = add_document(project, TEXT)
    add_claim(project, doc, "alice", 0, 38, {"form": "statement"})
    add_claim(project, doc, "bob", 10, 38, {"form": "statement"})  # 28 of 28: matches
    add_claim(project, doc, "alice", 40, 85, {"form": "demand"})  # bob saw no claim here
    for coder in ("alice", "bob"):
        set_status(project, doc, coder, DONE)
    report = compute_agreement(project)
    assert report.claim_units == 2
    assert report.f1_units == pytest.approx(2 * 1 / 3)
    (missing,) = report.unit_disagreements
    assert missing.values == {"alice": "claim", "bob": None} and (missing.start, missing.end) == (40, 85)
    assert figure(report, "form").pairable_values == 2  # the unmatched claim is no value pair


def test_a_study_nobody_finished_reports_why(project: Project) -> None:
    doc = add_document(project, TEXT)
    add_claim(project, doc, "alice", 0, 38, {"form": "statement"})
    add_claim(project, doc, "bob", 0, 38, {"form": "statement"})
    report = compute_agreement(project)
    assert report.documents == () and "--include-unfinished" in report.notes[0]
    assert report.f1_units is None and report.entities.f1_exact is None


def test_a_link_to_a_deleted_entity_compares_the_words_kept_with_it(project: Project) -> None:
    from annotator.storage.repositories import SpanRepository

    doc = add_document(project, TEXT)
    alice = add_entities(project, doc, "alice", [(0, 6, "PERSON")])
    bob = add_entities(project, doc, "bob", [(0, 6, "PERSON")])
    add_claim(project, doc, "alice", 0, 38, {"claimant": link(alice[(0, 6)], "Sharif")})
    add_claim(project, doc, "bob", 0, 38, {"claimant": link(bob[(0, 6)], "Sharif")})
    add_claim(project, doc, "alice", 40, 85, {"claimant": link(alice[(0, 6)], "Sharif")})
    add_claim(project, doc, "bob", 40, 85, {"claimant": link(bob[(0, 6)], "Sharif")})
    with project.session() as session:
        SpanRepository(session).delete(bob[(0, 6)])  # the link keeps "Sharif", its span id goes
    for coder in ("alice", "bob"):
        set_status(project, doc, coder, DONE)
    claimant = figure(compute_agreement(project), "claimant")
    assert claimant.percent_agreement == 1.0 and claimant.disagreements == ()


def test_by_default_a_pi_who_codes_nothing_is_not_one_of_the_coders(project: Project) -> None:
    """Kappa is Cohen's for the two coders who worked, not Fleiss' over an idle third."""
    from annotator.domain.model import CoderRole
    from annotator.storage.repositories import CoderRepository

    with project.session() as session:
        CoderRepository(session).id_for("pia", CoderRole.PI)
    doc = add_document(project, TEXT)
    for coder, form in (("alice", "statement"), ("bob", "demand")):
        add_claim(project, doc, coder, 0, 38, {"form": form})
        set_status(project, doc, coder, DONE)
    report = compute_agreement(project)
    assert report.coders == ("alice", "bob")
    form = next(v for v in report.variables if v.name == "form")
    assert form.kappa_kind == "cohen"
