#!/usr/bin/env bash
# Prove that a backup restores: restore it into a new database with a unique name (on the server of
# DATABASE_URL) and a temporary media folder, compare the row count of every table and the checksum of
# every media file with the backup's manifest, and drop both afterwards. Exits non-zero on any difference.
#   scripts/check_restore.sh                   back up DATABASE_URL and the media folder now, and check that
#   scripts/check_restore.sh BACKUP_FOLDER     check a backup made earlier by backup.sh
#   scripts/check_restore.sh --compare BACKUP_FOLDER DATABASE_URL MEDIA_FOLDER
#                                              only compare a restored copy with the manifest (restore.sh does)
set -euo pipefail
# shellcheck source=scripts/backup_common.sh
source "$(dirname "$0")/backup_common.sh"

# compare BACKUP URL MEDIA: print every difference between the restored copy and the manifest; fail if any.
compare() {
    local backup="$1" url="$2" media="$3" differ=0 manifest
    manifest="$(cat "$backup/manifest.json")"
    if ! diff -U0 --label "tables in $backup/manifest.json" --label "tables in the restored database" \
        <(run_psql --dbname "$url" --variable manifest="$manifest" <<<"
            SELECT key || '|' || value FROM jsonb_each_text((:'manifest')::jsonb -> 'database' -> 'tables')
             ORDER BY key COLLATE \"C\"") \
        <(row_counts "$url"); then
        differ=1
    fi
    if ! diff -U0 --label "$backup/media.sha256" --label "files in $media" \
        "$backup/media.sha256" <(media_checksums "$media"); then
        differ=1
    fi
    local tables rows files checksums
    IFS='|' read -r tables rows files < <(run_psql --dbname "$url" --variable manifest="$manifest" <<<"
        SELECT count(*), coalesce(sum(value::bigint), 0), (:'manifest')::jsonb -> 'media' ->> 'files'
          FROM jsonb_each_text((:'manifest')::jsonb -> 'database' -> 'tables')")
    checksums="$(wc -l <"$backup/media.sha256")"
    if [[ "$files" != "$checksums" ]]; then
        echo "the manifest counts $files media files, but $backup/media.sha256 lists $checksums"
        differ=1
    fi
    if ((differ)); then
        echo "$(basename "$0"): the restored copy differs from the backup (see above)" >&2
        return 1
    fi
    echo "the restored copy matches the manifest: $tables tables with $rows rows, and $files media files"
}

if [[ "${1:-}" == "--compare" ]]; then
    [[ $# -eq 4 ]] || die "usage: scripts/check_restore.sh --compare BACKUP_FOLDER DATABASE_URL MEDIA_FOLDER"
    compare "$2" "$3" "$4"
    exit
fi
[[ $# -le 1 && "${1:-}" != -* ]] || die "usage: scripts/check_restore.sh [BACKUP_FOLDER]"
[[ -n "${DATABASE_URL:-}" ]] || die "set DATABASE_URL: its server hosts the temporary database"

scratch="$(mktemp -d)"
database="samenorg_check_$(date -u +%Y%m%d%H%M%S)_$$_${RANDOM}"
cleanup() {
    run_psql --dbname "$DATABASE_URL" --command "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" || true
    rm -rf "$scratch"
}
trap cleanup EXIT

if [[ $# -eq 1 ]]; then
    backup="$1"
else
    backup="$("$ROOT/scripts/backup.sh" "$scratch/backups" | tail -n 1)"
fi
run_psql --dbname "$DATABASE_URL" --command "CREATE DATABASE \"$database\""
# The same server and credentials, another database: swap the path of the URL, keep any query string.
base="${DATABASE_URL%%\?*}"
restored_url="${base%/*}/$database${DATABASE_URL:${#base}}"

status=0
"$ROOT/scripts/restore.sh" "$backup" "$restored_url" "$scratch/media" || status=$?
case "$status" in
0) echo "check passed: $backup restores completely" ;;
3) echo "check passed: $backup restores completely (its migrations differ from this code: see above)" ;;
*) die "check FAILED: $backup did not restore into a fresh database as it was backed up" ;;
esac
