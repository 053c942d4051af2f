"""Before a document is marked done: which of its claims are unfinished, said in one line.

A claim is unfinished when a required variable has no value or it is flagged for review (an
entity it links to changed). Variables are named as the claim form names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.domain.codebook import missing_required
from annotator.domain.ids import ClaimId
from annotator.domain.model import Claim, Codebook


def variable_caption(name: str) -> str:
    """A variable as the claim form shows it: ``claimant_type`` -> "claimant type"."""
    return name.replace("_", " ")


@dataclass(frozen=True)
class UnfinishedClaim:
    number: int  # 1-based, in text order: the row of the claims list
    claim_id: ClaimId
    missing: tuple[str, ...]  # names of the required variables without a value
    needs_review: bool

    @property
    def missing_captions(self) -> tuple[str, ...]:
        return tuple(variable_caption(name) for name in self.missing)


@dataclass(frozen=True)
class DoneCheck:
    """The unfinished claims of one document, in text order."""

    claims: tuple[UnfinishedClaim, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.claims)

    @property
    def incomplete(self) -> tuple[UnfinishedClaim, ...]:
        return tuple(c for c in self.claims if c.missing)

    @property
    def flagged(self) -> tuple[UnfinishedClaim, ...]:
        return tuple(c for c in self.claims if c.needs_review)

    @property
    def first(self) -> UnfinishedClaim | None:
        return self.claims[0] if self.claims else None

    def summary(self) -> str:
        """"2 claims are incomplete (claim 3: claimant type, issue; …) and 1 is flagged for
        review" -- what is left, naming the first claims and their missing variables."""
        parts = []
        incomplete, flagged = self.incomplete, self.flagged
        if incomplete:
            shown = "; ".join(
                f"claim {c.number}: {', '.join(c.missing_captions)}" for c in incomplete[:3]
            ) + ("; …" if len(incomplete) > 3 else "")
            verb = "is" if len(incomplete) == 1 else "are"
            noun = "claim" if len(incomplete) == 1 else "claims"
            parts.append(f"{len(incomplete)} {noun} {verb} incomplete ({shown})")
        if flagged:
            count = len(flagged)
            numbers = ", ".join(str(c.number) for c in flagged[:5]) + (", …" if count > 5 else "")
            subject = str(count) if incomplete else f"{count} claim{'s' if count > 1 else ''}"
            which = f"claim{'s' if count > 1 else ''} {numbers}"
            parts.append(f"{subject} {'are' if count > 1 else 'is'} flagged for review ({which})")
        return " and ".join(parts)


def unfinished_claims(codebook: Codebook, claims: Iterable[Claim]) -> DoneCheck:
    ordered = sorted(claims, key=lambda c: (c.start, c.end, c.id or 0))
    found = []
    for number, claim in enumerate(ordered, start=1):
        missing = tuple(missing_required(codebook, claim))
        if (missing or claim.needs_review) and claim.id is not None:
            found.append(UnfinishedClaim(number, claim.id, missing, claim.needs_review))
    return DoneCheck(tuple(found))
