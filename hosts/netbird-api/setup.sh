#!/usr/bin/env bash
# Headless first-boot setup of the NetBird combined server (v0.72.4 POST /api/setup).
#
# Usage: setup.sh [--emit-token] < owner-password
#   env: NB_OWNER_EMAIL, NB_OWNER_NAME (default "boma admin"), NB_PAT_DAYS (1-365, default 365),
#        NB_API (default http://127.0.0.1:8081), NB_STATE_DIR (default /etc/boma/netbird)
# The owner password comes on stdin (first line). The personal access token the server returns is
# written to $NB_STATE_DIR/admin.pat (0600); with --emit-token it is also the only line on stdout.
#
# Idempotent: when the instance is already set up it only checks that the stored token still works.
# The setup endpoint is reachable only from this host (loopback port; Caddy refuses /api/setup), so
# there is no window in which someone else can claim the instance.
# shellcheck source=nb-lib.sh
. "$(dirname "$0")/nb-lib.sh"
nb_need curl jq

emit=false
case "${1:-}" in
  --emit-token) emit=true ;;
  "") ;;
  *) nb_die "unknown argument $1 (usage: setup.sh [--emit-token] < password)" ;;
esac

: "${NB_OWNER_EMAIL:?set NB_OWNER_EMAIL (config boma:netbird.ownerEmail)}"
NB_OWNER_NAME="${NB_OWNER_NAME:-boma admin}"
NB_PAT_DAYS="${NB_PAT_DAYS:-365}"
case "$NB_PAT_DAYS" in
  '' | *[!0-9]*) nb_die "NB_PAT_DAYS must be a number of days (1-365)" ;;
esac
if [ "$NB_PAT_DAYS" -lt 1 ] || [ "$NB_PAT_DAYS" -gt 365 ]; then nb_die "NB_PAT_DAYS must be 1-365"; fi

# Wait for the server (the container may still be starting after `docker compose up -d`).
instance="$(curl -sS --fail-with-body --retry 30 --retry-connrefused --retry-all-errors --retry-delay 2 \
  "$NB_API/api/instance")" || nb_die "no answer from $NB_API/api/instance"
required="$(jq -r '.setup_required' <<<"$instance")"

mkdir -p "$NB_STATE_DIR"
chmod 0700 "$NB_STATE_DIR"

if [ "$required" = true ]; then
  IFS= read -r NB_OWNER_PASSWORD || true
  [ "${#NB_OWNER_PASSWORD}" -ge 8 ] || nb_die "the owner password on stdin must be at least 8 characters"
  export NB_OWNER_PASSWORD NB_OWNER_EMAIL NB_OWNER_NAME NB_PAT_DAYS
  response_file="$(mktemp)"
  trap 'rm -f "$response_file"' EXIT
  status="$(jq -n '{email: env.NB_OWNER_EMAIL, password: env.NB_OWNER_PASSWORD, name: env.NB_OWNER_NAME,
                     create_pat: true, pat_expire_in: (env.NB_PAT_DAYS | tonumber)}' |
    curl -sS -o "$response_file" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data-binary @- "$NB_API/api/setup")" || nb_die "POST /api/setup failed to connect"
  unset NB_OWNER_PASSWORD
  [ "${status:0:1}" = 2 ] || nb_die "POST /api/setup answered HTTP $status: $(jq -r '.message // empty' "$response_file" 2>/dev/null | head -c 300)"
  token="$(jq -r '.personal_access_token // empty' "$response_file")"
  [ -n "$token" ] || nb_die "the server created the owner but returned no token: is NB_SETUP_PAT_ENABLED=true set on netbird-server?"
  printf '%s\n' "$token" >"$NB_TOKEN_FILE.new"
  chmod 0600 "$NB_TOKEN_FILE.new"
  mv "$NB_TOKEN_FILE.new" "$NB_TOKEN_FILE"
  unset token
  nb_log "instance set up; owner $NB_OWNER_EMAIL; token stored in $NB_TOKEN_FILE"
elif [ "$required" = false ]; then
  # Already set up: the stored token must still be accepted, otherwise say how to recover.
  [ -s "$NB_TOKEN_FILE" ] || nb_die "the instance is already set up but $NB_TOKEN_FILE is missing; restore it from the backup or create a PAT in the dashboard and write it there (mode 0600)"
  nb_call GET /api/users/current >/dev/null
  nb_log "instance already set up; stored token accepted"
else
  nb_die "unexpected /api/instance answer (setup_required=$required)"
fi

if [ "$emit" = true ]; then
  nb_token
  printf '\n'
fi
