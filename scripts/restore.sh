#!/usr/bin/env bash
# Restore a folder written by backup.sh into a database and a media folder:
#   scripts/restore.sh [--force] [--no-migration-check] BACKUP_FOLDER DATABASE_URL MEDIA_FOLDER
# The database must exist; it and the media folder must be empty unless --force, which first removes
# everything in the database's own schemas and in the media folder. Afterwards the restored copy is
# compared with the manifest (check_restore.sh --compare), and the applied migrations with this code.
# Exit status: 0 restored and verified; 1 refused or failed; 3 restored and verified, but the migrations
# differ from this code (run `manage.py migrate` if the backup is older; see docs/operations.md).
set -euo pipefail
# shellcheck source=scripts/backup_common.sh
source "$(dirname "$0")/backup_common.sh"

usage="usage: scripts/restore.sh [--force] [--no-migration-check] BACKUP_FOLDER DATABASE_URL MEDIA_FOLDER"
force=0
migration_check=1
while [[ "${1:-}" == --* ]]; do
    case "$1" in
    --force) force=1 ;;
    --no-migration-check) migration_check=0 ;;
    *) die "$usage" ;;
    esac
    shift
done
[[ $# -eq 3 ]] || die "$usage"
backup="$1" url="$2" media="$3"
for part in manifest.json database.dump media.sha256 media; do
    [[ -e "$backup/$part" ]] || die "$backup is not a complete backup: $part is missing"
done
match_server_version "$url"

# Refuse before changing anything.
objects="$(run_psql --dbname "$url" --command "
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'")"
if ((objects > 0 && !force)); then
    die "the database is not empty ($objects objects); restore into a fresh one, or add --force to replace its contents"
fi
if [[ -d "$media" && -n "$(find "$media" -mindepth 1 -print -quit)" ]] && ((!force)); then
    die "the media folder $media is not empty; restore into an empty one, or add --force to replace its contents"
fi

if ((objects > 0)); then
    echo "--force: removing everything in the database's own schemas"
    run_psql --dbname "$url" <<'SQL'
SELECT format('DROP SCHEMA %I CASCADE', nspname) FROM pg_namespace
 WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%' \gexec
CREATE SCHEMA IF NOT EXISTS public;
SQL
fi
# Objects belong to whoever restores, whatever role owned them where the backup was made.
"$(pg_program pg_restore)" --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname "$url" "$backup/database.dump"

mkdir -p "$media"
find "$media" -mindepth 1 -delete
cp -a "$backup/media/." "$media/"

"$ROOT/scripts/check_restore.sh" --compare "$backup" "$url" "$media"

if ((!migration_check)); then
    echo "restored; migrations not checked (--no-migration-check)"
    exit 0
fi
# Every migration this code knows and whether it is applied, against what the restored database recorded.
python="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$python" ]] || python="python3"
plan="$(cd "$ROOT" && DATABASE_URL="$url" "$python" manage.py showmigrations --plan)" ||
    die "could not list the migrations with $python manage.py (set PYTHON, or use --no-migration-check)"
unapplied="$(sed -nE 's/^\[ \] +([^ ]+).*/\1/p' <<<"$plan")"
unknown="$(LC_ALL=C comm -23 \
    <(run_psql --dbname "$url" --command "SELECT app || '.' || name FROM django_migrations" | LC_ALL=C sort) \
    <(sed -nE 's/^\[[X ]\] +([^ ]+).*/\1/p' <<<"$plan" | LC_ALL=C sort))"
if [[ -n "$unknown" ]]; then
    echo "The backup is newer than this code: it has migrations this code does not know:" >&2
    echo "$unknown" >&2
    echo "Run it with the version named in $backup/manifest.json, or a newer one." >&2
    exit 3
fi
if [[ -n "$unapplied" ]]; then
    echo "The backup is older than this code; these migrations are not applied yet:" >&2
    echo "$unapplied" >&2
    echo "Apply them now: DATABASE_URL=<the restored database> manage.py migrate" >&2
    exit 3
fi
echo "restored; the migrations match this code"
