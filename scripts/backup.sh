#!/usr/bin/env bash
# Backs up lawgov: the PostgreSQL database (custom format, restorable table by table) and the media
# directory (evidence files and generated reports). Usage:
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/lawgov/media scripts/backup.sh /backups/lawgov
set -euo pipefail
target_dir=${1:?usage: backup.sh TARGET_DIR}
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$target_dir"
pg_dump --format=custom --no-owner --file="$target_dir/lawgov-$stamp.dump" "$DATABASE_URL"
if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$target_dir/lawgov-media-$stamp.tar.gz" .
fi
# A dump that cannot be listed is no backup: fail now rather than on the day it is needed.
pg_restore --list "$target_dir/lawgov-$stamp.dump" >/dev/null
echo "$target_dir/lawgov-$stamp.dump"
