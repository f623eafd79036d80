#!/usr/bin/env bash
# Back up the database (DATABASE_URL) and the media folder into a new folder with a manifest:
#   scripts/backup.sh [PARENT]    writes PARENT/samenorg-<UTC time>/ (PARENT defaults to var/backups)
# The folder holds database.dump (pg_dump custom format), media/ (a copy of the media folder),
# media.sha256 (a checksum for every media file) and manifest.json (time, version, row count of every
# table, number and size of the media files). The row counts are taken in the snapshot that is dumped,
# so they hold while the site keeps running. The last line printed is the new folder.
# Backups in PARENT older than SAMENORG_BACKUP_KEEP_DAYS (30) are removed.
# Media folder: SAMENORG_MEDIA_ROOT, else $SAMENORG_VAR_DIR/media, else var/media. See docs/operations.md.
set -euo pipefail
# shellcheck source=scripts/backup_common.sh
source "$(dirname "$0")/backup_common.sh"

[[ $# -le 1 && "${1:-}" != -* ]] || die "usage: scripts/backup.sh [PARENT_FOLDER]"
[[ -n "${DATABASE_URL:-}" ]] || die "set DATABASE_URL to the database to back up"
parent="${1:-${SAMENORG_VAR_DIR:-$ROOT/var}/backups}"
media="$(default_media_root)"
umask 077 # the backup holds personal data: readable by its owner only
match_server_version "$DATABASE_URL"

created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
target="$parent/samenorg-$(date -u -d "$created" +%Y%m%dT%H%M%SZ)"
[[ ! -e "$target" ]] || die "$target exists already"
mkdir -p "$parent"
# Built under a temporary name and renamed when complete, so a half-written backup never looks like one.
work="$(mktemp -d "$parent/.samenorg-backup.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# One read-only transaction exports its snapshot; pg_dump dumps exactly that snapshot while the
# transaction counts the rows of every table in it.
PG_DUMP="$(pg_program pg_dump)" BACKUP_DUMP="$work/database.dump" \
    run_psql --dbname "$DATABASE_URL" --variable row_counts_query="$ROW_COUNTS_QUERY_SQL" \
    --output "$work/database.json" <<'SQL'
BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
SELECT pg_export_snapshot() AS snapshot \gset
:row_counts_query \gset
\setenv BACKUP_SNAPSHOT :snapshot
\! "$PG_DUMP" --format custom --snapshot "$BACKUP_SNAPSHOT" --file "$BACKUP_DUMP.partial" --dbname "$DATABASE_URL" && mv "$BACKUP_DUMP.partial" "$BACKUP_DUMP"
SELECT format(E'{\n'
              '        "name": %s,\n'
              '        "server_version": %s,\n'
              '        "snapshot_at": %s,\n'
              '        "dump": "database.dump",\n'
              '        "tables": {\n%s\n        }\n'
              '    }',
              to_json(current_database()), to_json(current_setting('server_version')), to_json(now()),
              (SELECT string_agg(format('            %s: %s', to_json(name), n), E',\n' ORDER BY name COLLATE "C")
                 FROM (:row_counts) AS counted));
COMMIT;
SQL
[[ -s "$work/database.dump" ]] || die "pg_dump failed; nothing was kept"

mkdir "$work/media"
if [[ -n "${SAMENORG_MEDIA_S3_BUCKET:-}" ]]; then
    echo "$(basename "$0"): the media are in the bucket $SAMENORG_MEDIA_S3_BUCKET, kept by its own versioning; the backup holds the database only" >&2
elif [[ -d "$media" ]]; then
    cp -a "$media/." "$work/media/"
else
    echo "$(basename "$0"): warning: there is no media folder at $media; the backup holds no media" >&2
fi
media_checksums "$work/media" >"$work/media.sha256"
files="$(wc -l <"$work/media.sha256")"
bytes="$(find "$work/media" -type f -printf '%s\n' | awk '{total += $1} END {print total + 0}')"

commit="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || true)"
version="$(sed -nE 's/^version = "(.*)"$/\1/p' "$ROOT/pyproject.toml" | head -n 1)"
run_psql --dbname "$DATABASE_URL" --output "$work/manifest.json" \
    --variable created="$created" --variable version="$version" --variable commit="$commit" \
    --variable database="$(cat "$work/database.json")" --variable files="$files" --variable bytes="$bytes" <<'SQL'
-- Written out by hand to keep the keys in a readable order; the cast to jsonb proves it is valid JSON.
SELECT manifest FROM (
    SELECT format(E'{\n'
                  '    "format": 1,\n'
                  '    "created_at": %s,\n'
                  '    "app_version": %s,\n'
                  '    "git_commit": %s,\n'
                  '    "database": %s,\n'
                  '    "media": {"folder": "media", "checksums": "media.sha256", "files": %s, "bytes": %s}\n'
                  '}',
                  to_json(:'created'::text), to_json(:'version'::text),
                  coalesce(to_json(nullif(:'commit', '')), 'null'), :'database', :'files'::bigint, :'bytes'::bigint)
) AS written (manifest) WHERE manifest::jsonb IS NOT NULL;
SQL
rm "$work/database.json"

mv "$work" "$target"
trap - EXIT
# The privacy statement promises that backups are kept at most this many days: older ones in PARENT go.
keep_days="${SAMENORG_BACKUP_KEEP_DAYS:-30}"
find "$parent" -mindepth 1 -maxdepth 1 -type d -name 'samenorg-*' -mtime "+$((keep_days - 1))" \
    -exec rm -rf {} + -printf 'removed the expired backup %p\n'
echo "backed up the database and $files media files ($bytes bytes)"
echo "$target"
