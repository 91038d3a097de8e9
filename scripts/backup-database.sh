#!/usr/bin/env bash
# Back up AnchorNet's PostgreSQL database: one compressed dump (pg_dump's custom format) in
# BACKUP_DIR, checked readable, and dumps older than BACKUP_KEEP_DAYS removed. Run it nightly
# as the app's user, with the app's environment (docs/deployment.md, "Backups"):
#     DATABASE_URL=postgres://... BACKUP_DIR=/var/backups/anchornet scripts/backup-database.sh
# Prints the new dump's path. Copy BACKUP_DIR off the machine too: a backup on the disk it
# protects is lost with it.
set -euo pipefail

: "${DATABASE_URL:?Set DATABASE_URL to the database to back up}"
: "${BACKUP_DIR:?Set BACKUP_DIR to the directory that keeps the dumps}"
keep_days=${BACKUP_KEEP_DAYS:-30}

mkdir -p "$BACKUP_DIR"
dump="$BACKUP_DIR/anchornet-$(date -u +%Y-%m-%dT%H%M%SZ).dump"
# Written under a temporary name and renamed when complete, so a dump cut short (a full disk,
# a lost connection) is never mistaken for a good one.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
pg_restore --list "$dump.partial" >/dev/null
mv "$dump.partial" "$dump"

find "$BACKUP_DIR" -maxdepth 1 -name 'anchornet-*.dump' -mtime +"$keep_days" -delete
echo "$dump"
