# shellcheck shell=bash
# boma host-script library, inlined at the top of every bootstrap script (a "file:" include of bootstrap/lib.sh).
# Every step checks before it changes and prints one line: "changed: ..." or "unchanged: ...".
#
# Test mode: BOMA_ROOT=<dir> prefixes every path the scripts write, and BOMA_STUB_BIN=<dir> must then hold
# the service tools (systemctl, apt-get, dpkg-query, sshd, nft, fail2ban-client, docker, restic); the real
# tools are never called, so a test run cannot touch the machine it runs on.

export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C

ROOT="${BOMA_ROOT:-}"
BOMA_CHANGES=0
BOMA_CHANGED=0
BOMA_STAGE="$(mktemp -d)"
trap 'rm -rf "$BOMA_STAGE"' EXIT

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
changed() { BOMA_CHANGES=$((BOMA_CHANGES + 1)); printf 'changed: %s\n' "$*"; }
unchanged() { printf 'unchanged: %s\n' "$*"; }

if [[ -n "$ROOT" ]]; then
  [[ "$ROOT" == /* && "$ROOT" != "/" && -d "$ROOT" ]] || die "BOMA_ROOT must be an existing absolute directory other than /"
  [[ -n "${BOMA_STUB_BIN:-}" && -d "${BOMA_STUB_BIN}" ]] || die "BOMA_ROOT is set: BOMA_STUB_BIN must name the directory of stub tools"
else
  [[ "$(id -u)" -eq 0 ]] || die "run as root (e.g. sudo bash -s)"
fi

# The script usually arrives on stdin ("sudo bash -s"), which bash reads line by line: a tool that reads
# that same stdin (apt, dpkg, ...) would swallow the rest of the script. Remember which stream it is.
BOMA_SCRIPT_STDIN="$(stat -L -c '%d:%i' /dev/stdin 2>/dev/null || echo none)"

# Runs a system tool; in test mode its recording stub instead. A tool never sees the script's own stdin
# (it gets /dev/null then), but a pipe or redirect given on purpose ("curl ... | tool gpg") passes through.
tool() {
  local name="$1" cmd
  shift
  cmd="$name"
  if [[ -n "$ROOT" ]]; then cmd="$BOMA_STUB_BIN/$name"; fi
  if [[ "$(stat -L -c '%d:%i' /dev/stdin 2>/dev/null || echo none)" == "$BOMA_SCRIPT_STDIN" ]]; then
    "$cmd" "$@" </dev/null
  else
    "$cmd" "$@"
  fi
}

# Writes stdin to ROOT+DEST with MODE (octal, e.g. 0644) when content or mode differ. Sets BOMA_CHANGED=1/0.
# The previous file (if any) is kept in the stage dir so restore_file can undo a change a validator rejects.
install_file() {
  local dest="$1" mode="$2"
  local target="$ROOT$dest" staged="$BOMA_STAGE/new" backup="$BOMA_STAGE/backup${dest//\//_}"
  cat >"$staged"
  BOMA_CHANGED=0
  rm -f "$backup" "$backup.absent"
  if [[ -f "$target" ]] && cmp -s "$staged" "$target"; then
    if [[ "$(stat -c '%a' "$target")" == "$(printf '%o' "$((8#$mode))")" ]]; then
      unchanged "$dest"
      return 0
    fi
    chmod "$mode" "$target"
    BOMA_CHANGED=1
    changed "$dest (mode $mode)"
    return 0
  fi
  if [[ -f "$target" ]]; then cp -p "$target" "$backup"; else : >"$backup.absent"; fi
  (umask 022 && mkdir -p "$(dirname "$target")")
  # Created owner-only, then given its mode: a 0600 file holding a secret is never readable by others.
  (umask 077 && cp "$staged" "$target.boma-new")
  chmod "$mode" "$target.boma-new"
  mv -f "$target.boma-new" "$target"
  BOMA_CHANGED=1
  changed "$dest"
}

# True when the last install_file changed its file.
last_changed() { [[ "$BOMA_CHANGED" -eq 1 ]]; }

# Undoes the last install_file of DEST (used when a validator rejects the new file).
restore_file() {
  local dest="$1"
  local target="$ROOT$dest" backup="$BOMA_STAGE/backup${dest//\//_}"
  if [[ -f "$backup" ]]; then
    cp -p "$backup" "$target"
  elif [[ -f "$backup.absent" ]]; then
    rm -f "$target"
  fi
  printf 'restored: %s\n' "$dest"
}

# Installs the Debian packages that are not installed yet (one apt run for all of them). With --no-recommends
# first, without their recommends (and the line says so).
ensure_packages() {
  local pkg missing=() bare=() note=""
  if [[ "${1:-}" == --no-recommends ]]; then
    shift
    bare=(--no-install-recommends)
    note=" (no recommends)"
  fi
  for pkg in "$@"; do
    if [[ "$(tool dpkg-query -W -f="\${Status}" "$pkg" 2>/dev/null || true)" == "install ok installed" ]]; then
      unchanged "package $pkg"
    else
      missing+=("$pkg")
    fi
  done
  if [[ "${#missing[@]}" -gt 0 ]]; then
    tool apt-get update -qq
    tool apt-get install -y -qq "${bare[@]}" -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
    changed "packages installed$note: ${missing[*]}"
  fi
}

ensure_enabled() {
  if tool systemctl is-enabled --quiet "$1"; then
    unchanged "service $1 enabled"
  else
    tool systemctl enable "$1"
    changed "service $1 enabled"
  fi
}

ensure_active() {
  if tool systemctl is-active --quiet "$1"; then
    unchanged "service $1 running"
  else
    tool systemctl start "$1"
    changed "service $1 started"
  fi
}

# Last line of every script: the count the tests (and a human) look at.
finish() {
  printf 'summary: %d changed\n' "$BOMA_CHANGES"
}
