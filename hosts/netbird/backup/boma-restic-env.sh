#!/usr/bin/env bash
# Write restic's credentials for the NetBird backup on askari, from stdin (never argv).
#
# Usage: boma-restic-env.sh [DIR] < secrets        (DIR defaults to /etc/restic)
#   stdin line 1: the repository password        → DIR/netbird.password (0600, raw, read via RESTIC_PASSWORD_FILE)
#   then KEY=VALUE lines for the env file         → DIR/netbird.env (0600; the unit's EnvironmentFile)
#   then, for an sftp repository, the SSH private key askari's root logs in to the storage box with, from its
#   -----BEGIN ... PRIVATE KEY----- line to its -----END line  → DIR/netbird.ssh-key (0600; the IdentityFile of
#   /etc/ssh/ssh_config.d/boma-restic.conf). No key block: a key file left from an earlier sftp repository is removed.
# The password lives in its own file so no quoting rule (systemd's or a shell's) ever touches it.
# Prints only a SHA-256 over the files, which the deploy uses as a trigger.
set -euo pipefail
umask 077

dir="${1:-/etc/restic}"
install -d -m 0700 "$dir"
new=("$dir/netbird.password.new" "$dir/netbird.env.new" "$dir/netbird.ssh-key.new")
fail() {
  rm -f "${new[@]}"
  echo "boma-restic-env.sh: $*" >&2
  exit 1
}
IFS= read -r password || true
[ -n "$password" ] || fail "no password on the first stdin line"
printf '%s' "$password" >"$dir/netbird.password.new"
unset password

: >"$dir/netbird.env.new"
rm -f "$dir/netbird.ssh-key.new"
key=none # none, in (inside the key block), end
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  # The key block first: its base64 lines may look like KEY=VALUE (a padded last line ends in '=').
  case "$key:$line" in
    none:-----BEGIN\ *PRIVATE\ KEY-----)
      key=in
      printf '%s\n' "$line" >"$dir/netbird.ssh-key.new"
      continue
      ;;
    in:-----END\ *PRIVATE\ KEY-----)
      key=end
      printf '%s\n' "$line" >>"$dir/netbird.ssh-key.new"
      continue
      ;;
    in:*)
      printf '%s\n' "$line" >>"$dir/netbird.ssh-key.new"
      continue
      ;;
    end:?*) fail "text after the SSH key (check boma:backupSshKey)" ;;
  esac
  case "$line" in
    '') continue ;;
    [A-Z_]*=*) printf '%s\n' "$line" >>"$dir/netbird.env.new" ;;
    *) fail "an env line is not KEY=VALUE (check boma:backupEnv)" ;;
  esac
done
[ "$key" != in ] || fail "the SSH key has no -----END line (check boma:backupSshKey)"
grep -q '^RESTIC_REPOSITORY=' "$dir/netbird.env.new" || fail "no RESTIC_REPOSITORY line"

mv "$dir/netbird.password.new" "$dir/netbird.password"
mv "$dir/netbird.env.new" "$dir/netbird.env"
files=("$dir/netbird.password" "$dir/netbird.env")
if [ "$key" = end ]; then
  mv "$dir/netbird.ssh-key.new" "$dir/netbird.ssh-key"
  files+=("$dir/netbird.ssh-key")
else
  rm -f "$dir/netbird.ssh-key"
fi
cat "${files[@]}" | sha256sum | cut -d' ' -f1
