#!/usr/bin/env bash
# Restore a dump made by backup-database.sh into DATABASE_URL's database, which must exist
# and be empty (a new one: `createdb anchornet_restored`), all or nothing: on any error
# nothing is restored. Then point the app at it, run `manage.py migrate` (a dump from older
# code is brought up to date; a current one is left as it is) and start it.
#     DATABASE_URL=postgres://.../anchornet_restored scripts/restore-database.sh FILE.dump
set -euo pipefail

dump=${1:?usage: $0 FILE.dump}
: "${DATABASE_URL:?Set DATABASE_URL to the (new, empty) database to restore into}"

tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "The database already has $tables tables: restore into a new, empty one (createdb)." >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
echo "Restored $dump"
