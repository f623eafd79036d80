# What backup.sh, restore.sh and check_restore.sh share; sourced, never run. See docs/operations.md.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The exact row count of every table outside PostgreSQL's own schemas, one "schema.table|count" line each,
# sorted. backup.sh runs it inside the snapshot it dumps, so the counts are those of the dump.
# shellcheck disable=SC2034  # used by the scripts that source this file
ROW_COUNTS_SQL="
SELECT name, n FROM (
    SELECT format('%I.%I', n.nspname, c.relname) AS name,
           (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname),
                                                false, true, '')))[1]::text::bigint AS n
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
) AS counted ORDER BY name COLLATE \"C\""

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

# pg_program NAME: the PostgreSQL client program NAME to use. PG_BIN wins; otherwise, once PG_SERVER_MAJOR
# is known (see match_server_version), the one under /usr/lib/postgresql/<major>/bin if it is there;
# otherwise NAME from PATH.
pg_program() {
    if [[ -n "${PG_BIN:-}" ]]; then
        echo "$PG_BIN/$1"
    elif [[ -n "${PG_SERVER_MAJOR:-}" && -x "/usr/lib/postgresql/$PG_SERVER_MAJOR/bin/$1" ]]; then
        echo "/usr/lib/postgresql/$PG_SERVER_MAJOR/bin/$1"
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
