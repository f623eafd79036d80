#!/usr/bin/env bash
# The production topology on one machine, without containers (docker-compose.yml runs the same services).
# After `migrate` and `collectstatic`, with samenorg.settings.production, it starts:
#   web      gunicorn -c gunicorn.conf.py samenorg.wsgi   (GUNICORN_BIND, GUNICORN_WORKERS, ...: see that file)
#   events   a Celery worker for the queue events            concurrency CELERY_EVENTS_CONCURRENCY (2)
#   mail     a Celery worker for the queues email, webhooks  concurrency CELERY_MAIL_CONCURRENCY (6)
#   digests  a Celery worker for the queues digests, default concurrency CELERY_DIGESTS_CONCURRENCY (1)
#   beat     Celery beat: one in the whole installation, however many machines run workers
# Every line a process writes goes to stdout, prefixed with its name; the script's own lines with [topology].
# On SIGTERM or SIGINT every process gets SIGTERM (gunicorn finishes the requests it serves, the workers the
# tasks they run) and the script exits 0 once all have stopped cleanly, 1 otherwise. When one process ends by
# itself, the others are stopped the same way and the script exits 1, for the supervisor to start it again.
set -uo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=samenorg.settings.production

say() { echo "[topology] $*"; }

missing=0
for variable in DATABASE_URL CELERY_BROKER_URL CACHE_URL EMAIL_HOST SAMENORG_SITE_URL DJANGO_SECRET_KEY \
    DJANGO_ALLOWED_HOSTS; do
    if [[ -z "${!variable:-}" ]]; then
        say "$variable must be set (docs/operations.md lists every variable)" >&2
        missing=1
    fi
done
((missing == 0)) || exit 2

.venv/bin/python manage.py migrate --no-input || exit 1
.venv/bin/python manage.py collectstatic --no-input --verbosity 0 || exit 1

# Job control puts each process in a process group of its own: a Ctrl-C on the terminal reaches only this
# script, which then stops the processes gracefully (gunicorn takes SIGINT as a quick shutdown, not a graceful one).
set -m
declare -A names=() prefixers=()

start() {
    local name=$1 prefix
    shift
    # The prefixer ignores the stop signals: it passes on the output until the process closes it.
    exec {prefix}> >(trap '' INT TERM && exec sed -u "s/^/[$name] /")
    prefixers[$!]=$name
    "$@" >&"$prefix" 2>&1 &
    names[$!]=$name
    exec {prefix}>&-
    say "started $name (pid $!): $*"
}

worker() {
    local name=$1 queues=$2 concurrency=$3
    start "$name" .venv/bin/celery --app samenorg worker --queues "$queues" --hostname "$name@%h" \
        --concurrency "$concurrency" --loglevel INFO
}

stopping=""
trap 'stopping=TERM' TERM
trap 'stopping=INT' INT

start web .venv/bin/gunicorn -c gunicorn.conf.py samenorg.wsgi
worker events events "${CELERY_EVENTS_CONCURRENCY:-2}"
worker mail email,webhooks "${CELERY_MAIL_CONCURRENCY:-6}"
worker digests digests,default "${CELERY_DIGESTS_CONCURRENCY:-1}"
start beat .venv/bin/celery --app samenorg beat --loglevel INFO

status=0
while [[ -z $stopping ]]; do
    ended=""
    wait -n -p ended "${!names[@]}"
    code=$?
    if [[ -n ${ended:-} ]]; then  # unset when a signal ended the wait
        say "${names[$ended]} (pid $ended) ended by itself with code $code; stopping the others"
        unset "names[$ended]"
        status=1
        break
    fi
done

[[ -z $stopping ]] || say "SIG$stopping received; stopping ${names[*]}"
for pid in "${!names[@]}"; do
    kill -TERM "$pid" 2>/dev/null
done
for pid in "${!names[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do
        wait "$pid"  # a second signal ends a wait early; the loop waits on
    done
    wait "$pid"
    code=$?
    say "${names[$pid]} (pid $pid) stopped with code $code"
    ((code == 0)) || status=1
done
for pid in "${!prefixers[@]}"; do
    wait "$pid"
done
say "stopped; exit $status"
exit "$status"
