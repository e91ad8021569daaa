#!/usr/bin/env bash
# Restores a backup made by backup.sh: the dump into an EMPTY database (create it first with
# createdb), the media archive into an empty (or new) MEDIA_ROOT.
#   DATABASE_URL=postgres://.../lawgov_restored MEDIA_ROOT=/srv/lawgov/media \
#     scripts/restore.sh lawgov-YYYYmmdd-HHMMSS.dump lawgov-media-YYYYmmdd-HHMMSS.tar.gz
set -euo pipefail
dump=${1:?usage: restore.sh DUMP MEDIA_TARBALL}
media=${2:?usage: restore.sh DUMP MEDIA_TARBALL (the evidence files belong to the database)}
: "${DATABASE_URL:?DATABASE_URL must point at the (empty) target database}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set to restore media}"
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$media"
echo "restored $dump and $media"
