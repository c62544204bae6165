#!/usr/bin/env bash
# Restore the NetBird coordinator's state from restic (see docs/netbird.md, "Restore").
#
# Usage: boma-netbird-restore.sh [--apply] [SNAPSHOT]          (SNAPSHOT defaults to latest)
#   env: as boma-netbird-backup.sh (read from /etc/restic/netbird.env when not set), plus for --apply the
#   overrides NB_DATA_DIR, NB_CONFIG, NB_STOP_CMD, NB_START_CMD (tests).
# Without --apply: restores into a temporary directory and verifies every database
# (PRAGMA integrity_check) and that config.yaml has a store encryption key — a restore drill that
# changes nothing. With --apply it then stops netbird-server, puts the databases and config.yaml back,
# and starts it again.
set -euo pipefail
umask 077

log() { printf 'boma-netbird-restore: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

apply=false
if [ "${1:-}" = --apply ]; then
  apply=true
  shift
fi
snapshot="${1:-latest}"
case "$snapshot" in *[!A-Za-z0-9]*) die "SNAPSHOT must be a snapshot ID or latest" ;; esac

# shellcheck source=boma-restic-lib.sh
. "$(dirname "$(readlink -f "$0")")/boma-restic-lib.sh"
restic_setup

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
restic restore "$snapshot" --tag netbird --target "$work" >/dev/null
# The backup stores the staging directory's contents; find where they landed.
root="$(dirname "$(find "$work" -name store.db -print -quit)")"
[ -s "$root/store.db" ] || die "snapshot $snapshot has no store.db"
[ -s "$root/config.yaml" ] || die "snapshot $snapshot has no config.yaml"
grep -Eq '^[[:space:]]*encryptionKey:[[:space:]]*"?[A-Za-z0-9+/]{43}=' "$root/config.yaml" ||
  die "config.yaml in snapshot $snapshot has no store encryption key; the databases could not be decrypted"

for db in store.db idp.db events.db; do
  [ -e "$root/$db" ] || continue
  result="$(sqlite3 "$root/$db" 'PRAGMA integrity_check;')"
  [ "$result" = ok ] || die "$db in snapshot $snapshot fails the integrity check: $result"
  log "$db: integrity ok"
done

if [ "$apply" = false ]; then
  log "snapshot $snapshot verified (nothing changed; rerun with --apply to restore it)"
  exit 0
fi

if [ -z "${NB_DATA_DIR:-}" ]; then
  NB_DATA_DIR="$(docker volume inspect netbird_netbird_data | jq -r '.[0].Mountpoint')"
fi
NB_CONFIG="${NB_CONFIG:-/opt/boma/netbird/config.yaml}"
stop_cmd="${NB_STOP_CMD:-docker compose -p netbird -f /opt/boma/netbird/compose.yaml stop netbird-server}"
start_cmd="${NB_START_CMD:-docker compose -p netbird -f /opt/boma/netbird/compose.yaml start netbird-server}"

$stop_cmd
for db in store.db idp.db events.db; do
  [ -e "$root/$db" ] || continue
  rm -f "$NB_DATA_DIR/$db" "$NB_DATA_DIR/$db-journal" "$NB_DATA_DIR/$db-wal" "$NB_DATA_DIR/$db-shm"
  cp "$root/$db" "$NB_DATA_DIR/$db"
done
install -m 0600 "$root/config.yaml" "$NB_CONFIG"
$start_cmd
log "snapshot $snapshot restored into $NB_DATA_DIR and $NB_CONFIG"
