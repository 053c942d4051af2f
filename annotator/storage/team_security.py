"""The server's own guard for a team project on PostgreSQL (issue 14.6): each coder connects
as their own database role, and the server itself refuses what the app never asks of a coder.

A coder's role (member of ``annotator_coder``) may read the project and write only their own
layer: their entities, claims and claim values, and their status of a document (not whether it
is assigned). The codebook (labels, patterns, variables, values), the documents, the coders,
the assignments and the project's settings are the PI's (members of ``annotator_pi``). Under
blind coding (the project setting; absent means on) a coder's role cannot even read another
coder's entities or claims. The coder a role stands for is the coder of the same name, so a PI
adds each coder (``annotator coders URL --add NAME``) before they first connect.

Row-level security does the layer rules: an insert into another layer fails (``new row
violates row-level security policy``); an update or delete of another coder's row finds no row.
Run ``SECURITY_SQL`` once per database as its owner, after the project is created (docs/team-server.md).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from annotator.domain.errors import ProjectError

CODER_GROUP = "annotator_coder"
PI_GROUP = "annotator_pi"

#: Layer tables: a row belongs to the coder in ``coder_id`` (NULL: a shared model suggestion).
_LAYER_TABLES = ("entity_spans", "claims")

SECURITY_SQL = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{CODER_GROUP}') THEN
    CREATE ROLE {CODER_GROUP} NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PI_GROUP}') THEN
    CREATE ROLE {PI_GROUP} NOLOGIN;
  END IF;
END $$;

-- The coder a connection stands for: the coder named as its role.
CREATE OR REPLACE FUNCTION annotator_coder_id() RETURNS integer
  LANGUAGE sql STABLE AS $f$ SELECT id FROM coders WHERE name = current_user $f$;

-- Whether the connection may read a row of this coder's layer.
CREATE OR REPLACE FUNCTION annotator_may_read(layer integer) RETURNS boolean
  LANGUAGE sql STABLE AS $f$
    SELECT layer IS NULL OR layer = annotator_coder_id()
        OR coalesce((SELECT value FROM project_info WHERE key = 'blind_coding'), 'on') = 'off'
  $f$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {CODER_GROUP};
GRANT INSERT, UPDATE, DELETE ON entity_spans, claims, claim_values TO {CODER_GROUP};
GRANT INSERT ON coder_documents TO {CODER_GROUP};
GRANT UPDATE (status, updated_at) ON coder_documents TO {CODER_GROUP};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CODER_GROUP};
GRANT ALL ON ALL TABLES IN SCHEMA public TO {PI_GROUP};
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PI_GROUP};
""" + "".join(f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS coder_reads ON {table};
DROP POLICY IF EXISTS coder_writes_own ON {table};
DROP POLICY IF EXISTS pi_all ON {table};
CREATE POLICY coder_reads ON {table} FOR SELECT TO {CODER_GROUP} USING (annotator_may_read(coder_id));
CREATE POLICY coder_writes_own ON {table} FOR ALL TO {CODER_GROUP}
  USING (coder_id = annotator_coder_id()) WITH CHECK (coder_id = annotator_coder_id());
CREATE POLICY pi_all ON {table} TO {PI_GROUP} USING (true) WITH CHECK (true);
""" for table in _LAYER_TABLES) + f"""
ALTER TABLE claim_values ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS coder_reads ON claim_values;
DROP POLICY IF EXISTS coder_writes_own ON claim_values;
DROP POLICY IF EXISTS pi_all ON claim_values;
CREATE POLICY coder_reads ON claim_values FOR SELECT TO {CODER_GROUP}
  USING (EXISTS (SELECT FROM claims c WHERE c.id = claim_id));
CREATE POLICY coder_writes_own ON claim_values FOR ALL TO {CODER_GROUP}
  USING (EXISTS (SELECT FROM claims c WHERE c.id = claim_id AND c.coder_id = annotator_coder_id()))
  WITH CHECK (EXISTS (SELECT FROM claims c WHERE c.id = claim_id AND c.coder_id = annotator_coder_id()));
CREATE POLICY pi_all ON claim_values TO {PI_GROUP} USING (true) WITH CHECK (true);

ALTER TABLE coder_documents ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS coder_reads ON coder_documents;
DROP POLICY IF EXISTS coder_writes_own ON coder_documents;
DROP POLICY IF EXISTS coder_updates_own ON coder_documents;
DROP POLICY IF EXISTS pi_all ON coder_documents;
CREATE POLICY coder_reads ON coder_documents FOR SELECT TO {CODER_GROUP} USING (true);
CREATE POLICY coder_writes_own ON coder_documents FOR INSERT TO {CODER_GROUP}
  WITH CHECK (coder_id = annotator_coder_id() AND NOT assigned);
CREATE POLICY coder_updates_own ON coder_documents FOR UPDATE TO {CODER_GROUP}
  USING (coder_id = annotator_coder_id()) WITH CHECK (coder_id = annotator_coder_id());
CREATE POLICY pi_all ON coder_documents TO {PI_GROUP} USING (true) WITH CHECK (true);
"""


def coder_role_sql(name: str, pi: bool = False) -> str:
    """The SQL an administrator runs for one coder (the password is set apart, with psql's
    ``\\password NAME``, so that it never sits in a file)."""
    quoted = '"' + name.replace('"', '""') + '"'
    group = PI_GROUP if pi else CODER_GROUP
    return f"CREATE ROLE {quoted} LOGIN IN ROLE {group};\n"


def apply_security(session: Session) -> None:
    """Run ``SECURITY_SQL`` in the session's transaction (as the database's owner)."""
    if session.get_bind().dialect.name != "postgresql":
        raise ProjectError("roles and row-level security exist only for a project on a "
                           "PostgreSQL server (a project file has one user: whoever opens it)")
    session.connection().exec_driver_sql(SECURITY_SQL)
