"""`annotator server-security PROJECT_URL`: the server refuses coders what is not theirs."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.services.team_security import SECURITY_SQL, apply_security_to, role_sql


def register(sub: Any) -> None:
    p = sub.add_parser(
        "server-security",
        help="on a PostgreSQL project: coders' roles may write only their own layer",
        description=(
            "Create the group roles annotator_coder and annotator_pi, grant them their rights "
            "and switch on row-level security: a coder's role may read the project (not other "
            "coders' layers under blind coding) and write only their own entities, claims and "
            "document statuses; the codebook, documents, coders, assignments and settings are "
            "the PI's. Run it as the database's owner. Each person then connects as a login "
            "role of their coder name (docs/team-server.md)."
        ),
    )
    p.add_argument("project", type=project_location, nargs="?",
                   help="postgresql://owner@host:port/dbname (not needed with --print)")
    p.add_argument("--print", dest="print_only", action="store_true",
                   help="print the SQL instead of running it (to review, or to run with psql)")
    p.set_defaults(handler=cmd_server_security)


def cmd_server_security(args: argparse.Namespace) -> int:
    if args.print_only:
        print(SECURITY_SQL.strip())
        return 0
    if args.project is None:
        raise SystemExit("annotator server-security: give the project's URL, or --print")
    with open_project(args.project) as project:
        coders = apply_security_to(project)
    print(f"Row-level security is on for {args.project}. Each person needs a login role named as "
          "their coder, e.g. (set passwords with psql's \\password NAME):")
    print(role_sql(coders).rstrip() or "  (no coders yet: add them with `annotator coders URL --add NAME`)")
    return 0
