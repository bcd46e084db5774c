"""Whether pytest's reusable PostgreSQL test database was built from the current schema.

    python scripts/test_database.py check   exit 0 if test_<name> was built from this schema, 1 if not
    python scripts/test_database.py mark    record that test_<name> holds this schema

The schema is a hash of every migration and requirements.txt (dj-stripe ships migrations).
Building the test database runs every migration (about 2 minutes with dj-stripe's), so
scripts/test.sh reuses it and asks for --create-db only when this says it is stale. The hash
lives in the database itself: a checkout reuses a test database only if it was built from its schema.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql

from aethex import config

ROOT = Path(__file__).resolve().parent.parent


def schema_hash() -> str:
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for migration in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(migration.relative_to(ROOT)).encode())
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:16]


def main(action: str) -> int:
    db = config.database("DATABASE_URL", "sqlite://")
    if not db["ENGINE"].endswith("postgresql"):
        return 0  # SQLite test databases live in memory: nothing to reuse
    params = {
        key: value
        for key, value in {
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
            **db.get("OPTIONS", {}),
        }.items()
        if value
    }
    test_db = "test_" + db["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if action == "mark":
            conn.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(test_db), sql.Literal(schema_hash())
                )
            )
            return 0
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [test_db]
        ).fetchone()
    return 0 if row and row[0] == schema_hash() else 1


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in {"check", "mark"}:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
