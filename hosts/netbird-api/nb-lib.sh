# shellcheck shell=bash
# Shared helpers for the boma NetBird API scripts (sourced, not run).
#
# Secret handling, everywhere:
#   - the API token is read from a root-only file ($NB_TOKEN_FILE) and handed to curl through a
#     process-substitution header file, so it is never on a command line (`ps`) or in a log;
#   - request bodies are built by jq from environment variables and piped to curl on stdin;
#   - nothing here prints a token, a password or a setup key unless a script is explicitly asked to
#     emit one on stdout (the Pulumi Command capturing it has logging "none" and secret stdout).

set -euo pipefail
umask 077

# The server is published on the host's loopback only; talking to it directly bypasses Caddy,
# which refuses /api/setup from everywhere (see docs/netbird.md, "headless setup").
NB_API="${NB_API:-http://127.0.0.1:8081}"
NB_STATE_DIR="${NB_STATE_DIR:-/etc/boma/netbird}"
NB_TOKEN_FILE="${NB_TOKEN_FILE:-$NB_STATE_DIR/admin.pat}"

nb_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

nb_die() {
  nb_log "error: $*"
  exit 1
}

nb_need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || nb_die "$tool is not installed (apt-get install -y $tool)"
  done
}

nb_token() {
  [ -s "$NB_TOKEN_FILE" ] || nb_die "no API token in $NB_TOKEN_FILE; run setup.sh first (or write a PAT there, mode 0600)"
  local token
  IFS= read -r token <"$NB_TOKEN_FILE" || true
  [ -n "$token" ] || nb_die "$NB_TOKEN_FILE is empty"
  printf '%s' "$token"
}

# nb_call METHOD PATH [--body] : prints the response body; with --body the JSON request body is read
# from stdin. Fails with the HTTP status and the server's message (which never contains the token).
nb_call() {
  local method="$1" path="$2" token status body_file
  token="$(nb_token)"
  body_file="$(mktemp)"
  local -a data=()
  if [ "${3:-}" = "--body" ]; then
    data=(-H 'Content-Type: application/json' --data-binary @-)
  fi
  status="$(curl -sS -o "$body_file" -w '%{http_code}' -X "$method" \
    -H @<(printf 'Authorization: Token %s\n' "$token") \
    -H 'Accept: application/json' "${data[@]}" \
    --retry 5 --retry-connrefused --retry-delay 2 \
    "$NB_API$path")" || { rm -f "$body_file"; nb_die "$method $path: cannot reach $NB_API"; }
  if [ "${status:0:1}" != 2 ]; then
    nb_log "error: $method $path answered HTTP $status: $(head -c 400 "$body_file")"
    rm -f "$body_file"
    exit 1
  fi
  cat "$body_file"
  rm -f "$body_file"
}

# nb_group_ids NAME... : prints a JSON object {name: id}, creating groups that do not exist yet.
nb_group_ids() {
  local groups name id
  groups="$(nb_call GET /api/groups)"
  for name in "$@"; do
    id="$(NAME="$name" jq -r '[.[] | select(.name == env.NAME)][0].id // empty' <<<"$groups")"
    if [ -z "$id" ]; then
      id="$(NAME="$name" jq -n '{name: env.NAME, peers: []}' | nb_call POST /api/groups --body | jq -r '.id')"
      if [ -z "$id" ] || [ "$id" = null ]; then nb_die "creating group $name returned no id"; fi
      nb_log "created group $name"
      groups="$(NAME="$name" ID="$id" jq '. + [{name: env.NAME, id: env.ID}]' <<<"$groups")"
    fi
    printf '%s\t%s\n' "$name" "$id"
  done | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): .[1]}) | add // {}'
}
