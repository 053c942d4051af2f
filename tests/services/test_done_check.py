"""The line that says which claims are unfinished before a document is marked done."""

from __future__ import annotations

from annotator.domain.model import Claim, ClaimField, Codebook, FieldKind
from annotator.services.done_check import unfinished_claims

CODEBOOK = Codebook(fields=(
    ClaimField("claimant_type", FieldKind.TEXT, required=True, position=0),
    ClaimField("issue", FieldKind.TEXT, required=True, position=1),
    ClaimField("note", FieldKind.TEXT, position=2),
))
DONE = {"claimant_type": "government", "issue": "security"}


def claim(number: int, values: dict, review: bool = False) -> Claim:
    return Claim(document_id=1, start=10 * number, end=10 * number + 5, text="x" * 5,  # type: ignore[arg-type]
                 values=values, needs_review=review, id=100 - number)  # type: ignore[arg-type]


def test_nothing_unfinished_says_nothing() -> None:
    check = unfinished_claims(CODEBOOK, [claim(1, DONE), claim(2, DONE)])
    assert not check and check.summary() == ""


def test_incomplete_and_flagged_claims_are_named_in_text_order_with_form_captions() -> None:
    claims = [claim(3, {"issue": "x"}), claim(1, DONE), claim(2, DONE, review=True), claim(4, {})]
    check = unfinished_claims(CODEBOOK, claims)
    assert check.summary() == (
        "2 claims are incomplete (claim 3: claimant type; claim 4: claimant type, issue) "
        "and 1 is flagged for review (claim 2)"
    )
    assert check.first is not None and (check.first.number, check.first.missing) == (2, ())
    assert [c.claim_id for c in check.claims] == [98, 97, 96]


def test_one_flagged_claim_alone() -> None:
    check = unfinished_claims(CODEBOOK, [claim(1, DONE, review=True)])
    assert check.summary() == "1 claim is flagged for review (claim 1)"
