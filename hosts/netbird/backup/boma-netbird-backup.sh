#!/usr/bin/env bash
# Back up the NetBird coordinator's state with restic (what and why: docs/design/netbird.md, "Data to back up").
#
# Usage: boma-netbird-backup.sh [backup|init|check]      (run by boma-netbird-backup.service)
#   env (EnvironmentFile /etc/restic/netbird.env, mode 0600): RESTIC_REPOSITORY, RESTIC_PASSWORD_FILE
#   (/etc/restic/netbird.password, 0600) and backend credentials; from the unit: KEEP_DAILY, KEEP_WEEKLY,
#   KEEP_MONTHLY. Run by hand (sudo boma-netbird-backup init|check) it reads the env file itself.
#   overrides (tests): NB_DATA_DIR (default: the netbird_data volume), NB_CONFIG, NB_BACKUP_STAGING, NB_BACKUP_HOST.
# What: store.db, idp.db and events.db as consistent online copies (SQLite's backup API, safe next to the
# live server, which keeps running), plus config.yaml, which holds the store encryption key — a restored
# store.db is unreadable without it. The staging copy is deleted afterwards (it holds secrets).
set -euo pipefail
umask 077

log() { printf 'boma-netbird-backup: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# shellcheck source=boma-restic-lib.sh
. "$(dirname "$(readlink -f "$0")")/boma-restic-lib.sh"
restic_setup

mode="${1:-backup}"
host="${NB_BACKUP_HOST:-askari}"

case "$mode" in
  init)
    if restic cat config >/dev/null 2>&1; then
      log "repository already initialised"
    else
      restic init >/dev/null
      log "repository initialised"
    fi
    exit 0
    ;;
  check)
    restic check
    exit 0
    ;;
  backup) ;;
  *) die "unknown mode $mode (backup, init or check)" ;;
esac

if [ -z "${NB_DATA_DIR:-}" ]; then
  NB_DATA_DIR="$(docker volume inspect netbird_netbird_data | jq -r '.[0].Mountpoint')"
fi
NB_CONFIG="${NB_CONFIG:-/opt/boma/netbird/config.yaml}"
staging="${NB_BACKUP_STAGING:-/var/lib/boma/netbird-backup}"
[ -d "$NB_DATA_DIR" ] || die "no NetBird data directory at $NB_DATA_DIR"
[ -s "$NB_DATA_DIR/store.db" ] || die "no store.db in $NB_DATA_DIR"
[ -s "$NB_CONFIG" ] || die "no config.yaml at $NB_CONFIG (it holds the store encryption key)"

rm -rf "$staging"
mkdir -p "$staging"
trap 'rm -rf "$staging"' EXIT

for db in store.db idp.db events.db; do
  if [ ! -e "$NB_DATA_DIR/$db" ]; then
    [ "$db" = store.db ] || { log "no $db yet, skipped"; continue; }
  fi
  # .backup copies a consistent snapshot while the server keeps writing (it waits on the busy timeout).
  sqlite3 "$NB_DATA_DIR/$db" ".timeout 30000" ".backup '$staging/$db'"
  result="$(sqlite3 "$staging/$db" 'PRAGMA integrity_check;')"
  [ "$result" = ok ] || die "the copy of $db failed the integrity check: $result"
done
cp "$NB_CONFIG" "$staging/config.yaml"

cd "$staging"
restic backup --host "$host" --tag netbird . >/dev/null
restic forget --host "$host" --tag netbird \
  --keep-daily "${KEEP_DAILY:-7}" --keep-weekly "${KEEP_WEEKLY:-4}" --keep-monthly "${KEEP_MONTHLY:-6}" --prune >/dev/null
log "backup done: $(ls)"
