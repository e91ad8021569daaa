#!/usr/bin/env bash
# Backs up lawgov: the PostgreSQL database (custom format, restorable table by table; the audit
# tables and their append-only trigger included) and the media directory (evidence files, appeal and
# adjustment evidence, generated reports). The two belong together: a database whose evidence files
# are missing is not a backup, so both are required. Prints the dump's path, then the media archive's.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/lawgov/media scripts/backup.sh /backups/lawgov
set -euo pipefail
target_dir=${1:?usage: backup.sh TARGET_DIR}
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
: "${MEDIA_ROOT:?MEDIA_ROOT must point at the media directory (evidence and reports)}"
[ -d "$MEDIA_ROOT" ] || { echo "MEDIA_ROOT $MEDIA_ROOT is not a directory" >&2; exit 1; }
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$target_dir"
dump="$target_dir/lawgov-$stamp.dump"
media="$target_dir/lawgov-media-$stamp.tar.gz"
pg_dump --format=custom --no-owner --file="$dump" "$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$media" .
# A dump that cannot be listed, or an archive that cannot be read, is no backup: fail now rather
# than on the day it is needed.
pg_restore --list "$dump" >/dev/null
tar -tzf "$media" >/dev/null
echo "$dump"
echo "$media"
