#!/usr/bin/env bash
# Regenerates the SQL goldens from Django's own sqlmigrate, with Debian's Django 3.2 (/usr/bin/python3) and
# Django 5.2 (a venv from the local wheel index, see ../../../../shared/TOOLING.md), against a throwaway
# PostgreSQL 15 cluster. Needs Debian's postgresql, python3-django and python3-psycopg2.
# Usage: test/postgres/goldens/generate.sh [DJANGO_5_PYTHON]   (default: a venv made in a temp dir)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
chown postgres "$work"
port=$((20000 + RANDOM % 10000))
runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$work/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/data" -l "$work/log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null

django5=${1:-}
if [[ -z $django5 ]]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q Django==5.2.17 psycopg2-binary==2.9.13
  django5=$work/venv/bin/python
fi

for python in /usr/bin/python3 "$django5"; do
  version=$("$python" -c 'import django; print("%d.%d" % django.VERSION[:2])')
  psql -h 127.0.0.1 -p "$port" -U postgres -q -c 'DROP DATABASE IF EXISTS goldens' -c 'CREATE DATABASE goldens'
  rm -rf "$here/django-$version"
  PGHOST=127.0.0.1 PGPORT=$port "$python" "$here/generate.py" "$here/django-$version"
done
