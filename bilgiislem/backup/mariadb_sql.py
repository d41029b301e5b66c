"""SQL for the row counts of a MariaDB database, shared by the backup runner (role
backup_client, counting before the dump) and the restore drill (role backup_server, counting
after loading it): both must count the same way for the drill's comparison to mean anything.

Installed next to those scripts as /usr/local/lib/bilgiislem/mariadb_sql.py (standard
library only).
"""

from __future__ import annotations

# One line: a JSON array of the base tables of the current database (`--database`), sorted.
TABLES_SQL = ("SELECT COALESCE(JSON_ARRAYAGG(table_name ORDER BY table_name), '[]') "
              "FROM information_schema.tables WHERE table_schema = DATABASE() "
              "AND table_type = 'BASE TABLE'")


def string(value: str) -> str:
    """A quoted SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def name(value: str) -> str:
    """A quoted identifier (Turkish letters, spaces and backticks allowed)."""
    return "`" + value.replace("`", "``") + "`"


def count_sql(tables: list[str]) -> str:
    """One query, one line: {"table": rows, ...} (JSON) for tables of the current database."""
    pairs = ", ".join(f"{string(t)}, (SELECT COUNT(*) FROM {name(t)})" for t in tables)
    return f"SELECT JSON_OBJECT({pairs})"
