#!/usr/bin/env bash
# Write restic's credentials for the NetBird backup on askari, from stdin (never argv).
#
# Usage: boma-restic-env.sh [DIR] < secrets        (DIR defaults to /etc/restic)
#   stdin line 1: the repository password        → DIR/netbird.password (0600, raw, read via RESTIC_PASSWORD_FILE)
#   the other lines: KEY=VALUE for the env file    → DIR/netbird.env (0600; the unit's EnvironmentFile)
# The password lives in its own file so no quoting rule (systemd's or a shell's) ever touches it.
# Prints only a SHA-256 over both files, which the deploy uses as a trigger.
set -euo pipefail
umask 077

dir="${1:-/etc/restic}"
install -d -m 0700 "$dir"
IFS= read -r password || true
[ -n "$password" ] || { echo "boma-restic-env.sh: no password on the first stdin line" >&2; exit 1; }
printf '%s' "$password" >"$dir/netbird.password.new"
unset password

: >"$dir/netbird.env.new"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    '') continue ;;
    [A-Z_]*=*) printf '%s\n' "$line" >>"$dir/netbird.env.new" ;;
    *)
      rm -f "$dir/netbird.password.new" "$dir/netbird.env.new"
      echo "boma-restic-env.sh: an env line is not KEY=VALUE (check boma:backupEnv)" >&2
      exit 1
      ;;
  esac
done
grep -q '^RESTIC_REPOSITORY=' "$dir/netbird.env.new" || { echo "boma-restic-env.sh: no RESTIC_REPOSITORY line" >&2; exit 1; }

mv "$dir/netbird.password.new" "$dir/netbird.password"
mv "$dir/netbird.env.new" "$dir/netbird.env"
cat "$dir/netbird.password" "$dir/netbird.env" | sha256sum | cut -d' ' -f1
