# shellcheck shell=bash
# Shared by boma-netbird-backup.sh and boma-netbird-restore.sh, installed next to them. The caller
# defines die().

# Checks the tools both scripts need, then makes sure the repository settings are in the environment:
# from the unit's EnvironmentFile, or, when run by hand, from the env file. Its KEY=VALUE lines are read
# literally (never `source`: a value is data, not shell code).
restic_setup() {
  local tool env_file line
  for tool in restic sqlite3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (apt-get install -y $tool)"
  done
  env_file="${NB_RESTIC_ENV:-/etc/restic/netbird.env}"
  if [ -z "${RESTIC_REPOSITORY:-}" ] && [ -r "$env_file" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        '' | '#'*) continue ;;
        [A-Z_]*=*) export "${line%%=*}=${line#*=}" ;;
        *) die "$env_file: a line is not KEY=VALUE" ;;
      esac
    done <"$env_file"
  fi
  : "${RESTIC_REPOSITORY:?RESTIC_REPOSITORY is not set (/etc/restic/netbird.env)}"
  [ -n "${RESTIC_PASSWORD:-}" ] || [ -r "${RESTIC_PASSWORD_FILE:-}" ] || die "neither RESTIC_PASSWORD nor a readable RESTIC_PASSWORD_FILE is set (/etc/restic/netbird.env)"
}
