from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.orm import Session, SessionTransaction

from annotator.domain.ids import CoderId
from annotator.domain.model import Coder, CoderRole
from annotator.storage.orm import CoderRow

#: a coder id no row has: the layer of a coder who has not made anything yet
NOBODY = CoderId(-1)

#: ``Session.info`` key of the ids looked up in the session's transaction (name -> id). A coder
#: action asks for its coder's id several times (the change, the entity, the document status);
#: on a team server each ask is a round trip. Only ids seen in the running transaction are
#: kept: a savepoint or transaction that rolls back may have taken a new coder row with it.
_SEEN = "annotator.coder_ids"
#: ``Session.info`` key of the committed-ids dict of the connection the transaction runs on.
_KNOWN_HERE = "annotator.known_coder_ids"
#: ``Connection.info`` key of the ids of coders committed in its database (name -> id). A coder
#: row is never deleted or renamed, so once committed an id stays right; the pool empties
#: ``info`` whenever it opens a new connection (a reconnect after a server restart too). So
#: a coder's every action after their first reads no coder row at all.
_KNOWN = "annotator.committed_coder_ids"
_ID_BY_NAME = select(CoderRow.id).where(CoderRow.name == bindparam("name"))


@event.listens_for(Session, "after_commit")
def _remember_committed_ids(session: Session) -> None:
    seen, known = session.info.get(_SEEN), session.info.get(_KNOWN_HERE)
    if seen and known is not None:
        known.update(seen)


@event.listens_for(Session, "after_transaction_end")
def _forget_seen_ids(session: Session, transaction: SessionTransaction) -> None:
    session.info.pop(_SEEN, None)
    if transaction.parent is None:
        session.info.pop(_KNOWN_HERE, None)


class CoderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def id_for(self, name: str | None, role: CoderRole | None = None) -> CoderId | None:
        """The coder's id, creating the coder on first use; None for no name."""
        if not name:
            return None
        found = self.find(name)
        if found is not None:
            if role is not None:
                self.set_role(name, role)
            return found
        row = CoderRow(
            name=name, created_at=datetime.now(UTC).replace(tzinfo=None),
            role=(role or CoderRole.CODER).value,
        )
        self.session.add(row)
        self.session.flush()
        self.session.info.setdefault(_SEEN, {})[name] = CoderId(row.id)
        return CoderId(row.id)

    def find(self, name: str | None) -> CoderId | None:
        """The coder's id without creating anything (for reads); None if unknown."""
        if not name:
            return None
        known = self._committed()
        if name in known:
            return known[name]
        seen: dict[str, CoderId] = self.session.info.setdefault(_SEEN, {})
        if name in seen:
            return seen[name]
        found = self.session.scalar(_ID_BY_NAME, {"name": name})
        if found is None:
            return None
        seen[name] = CoderId(found)
        return seen[name]

    def _committed(self) -> dict[str, CoderId]:
        known: dict[str, CoderId] | None = self.session.info.get(_KNOWN_HERE)
        if known is None:
            known = self.session.connection().info.setdefault(_KNOWN, {})
            self.session.info[_KNOWN_HERE] = known
        return known

    def layer_id(self, name: str) -> CoderId:
        """For reads of a coder's layer: their id, or NOBODY before their first decision."""
        return self.find(name) or NOBODY

    def names(self) -> dict[int, str]:
        return dict(self.session.execute(select(CoderRow.id, CoderRow.name)).all())

    def all(self) -> list[Coder]:
        rows = self.session.execute(select(CoderRow.name, CoderRow.role).order_by(CoderRow.id))
        return [Coder(name, CoderRole(role)) for name, role in rows]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(CoderRow.id))) or 0)

    def get(self, name: str) -> Coder | None:
        row = self.session.execute(
            select(CoderRow.name, CoderRow.role).where(CoderRow.name == name)
        ).first()
        return None if row is None else Coder(row.name, CoderRole(row.role))

    def set_role(self, name: str, role: CoderRole) -> None:
        self.session.execute(update(CoderRow).where(CoderRow.name == name).values(role=role.value))
