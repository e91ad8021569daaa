#!/usr/bin/env bash
# Restores a backup made by backup.sh into an EMPTY database (create it first with createdb).
#   DATABASE_URL=postgres://.../lawgov_restored scripts/restore.sh lawgov-YYYYmmdd-HHMMSS.dump [media.tar.gz]
set -euo pipefail
dump=${1:?usage: restore.sh DUMP [MEDIA_TARBALL]}
: "${DATABASE_URL:?DATABASE_URL must point at the (empty) target database}"
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
if [ -n "${2:-}" ]; then
  : "${MEDIA_ROOT:?MEDIA_ROOT must be set to restore media}"
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -xzf "$2"
fi
echo "restored $dump"
