#!/usr/bin/env bash
# Ensure one named setup key exists and matches its spec.
#
# Usage: setup-key.sh [--emit-key]
#   env: NB_KEY_NAME (required), NB_KEY_TYPE reusable|one-off, NB_KEY_EXPIRES_IN (seconds, 0 = never),
#        NB_KEY_USAGE_LIMIT (0 = unlimited), NB_KEY_GROUPS (comma-separated group names),
#        NB_KEY_EPHEMERAL true|false, NB_KEY_ROTATION (any text; a new value issues a new key, see
#        docs/operations/rotating-secrets.md)
# The plain key is only returned when a key is created, so it is kept in
# $NB_STATE_DIR/setup-keys/<name>.key (0600) next to the spec it was made from. Rerunning with the
# same spec reuses the stored key while the server still says it is valid; a changed spec, an
# expired/revoked/used-up key or a missing file revokes the old key and creates a new one.
# With --emit-key the key is the only line on stdout (for a secret, logging-none Pulumi Command).
# shellcheck source=nb-lib.sh
. "$(dirname "$0")/nb-lib.sh"
nb_need curl jq

emit=false
case "${1:-}" in
  --emit-key) emit=true ;;
  "") ;;
  *) nb_die "unknown argument $1 (usage: setup-key.sh [--emit-key])" ;;
esac

: "${NB_KEY_NAME:?set NB_KEY_NAME}"
case "$NB_KEY_NAME" in
  *[!A-Za-z0-9_-]*) nb_die "NB_KEY_NAME may only contain letters, digits, - and _" ;;
esac
export NB_KEY_TYPE="${NB_KEY_TYPE:-reusable}" NB_KEY_EXPIRES_IN="${NB_KEY_EXPIRES_IN:-0}"
export NB_KEY_USAGE_LIMIT="${NB_KEY_USAGE_LIMIT:-0}" NB_KEY_GROUPS="${NB_KEY_GROUPS:-}"
export NB_KEY_EPHEMERAL="${NB_KEY_EPHEMERAL:-false}" NB_KEY_ROTATION="${NB_KEY_ROTATION:-0}"
case "$NB_KEY_TYPE" in reusable | one-off) ;; *) nb_die "NB_KEY_TYPE must be reusable or one-off" ;; esac
case "$NB_KEY_EXPIRES_IN$NB_KEY_USAGE_LIMIT" in *[!0-9]*) nb_die "NB_KEY_EXPIRES_IN and NB_KEY_USAGE_LIMIT must be numbers" ;; esac
case "$NB_KEY_EPHEMERAL" in true | false) ;; *) nb_die "NB_KEY_EPHEMERAL must be true or false" ;; esac

dir="$NB_STATE_DIR/setup-keys"
mkdir -p "$dir"
chmod 0700 "$dir"
key_file="$dir/$NB_KEY_NAME.key"
spec_file="$dir/$NB_KEY_NAME.spec.json"

IFS=',' read -r -a group_names <<<"$NB_KEY_GROUPS"
if [ "${#group_names[@]}" -gt 0 ]; then
  group_ids="$(nb_group_ids "${group_names[@]}" | jq -c '[.[]]')"
else
  group_ids='[]'
fi
export GROUP_IDS="$group_ids"
spec="$(jq -n -S '{name: env.NB_KEY_NAME, type: env.NB_KEY_TYPE, expires_in: (env.NB_KEY_EXPIRES_IN | tonumber),
  usage_limit: (env.NB_KEY_USAGE_LIMIT | tonumber), ephemeral: (env.NB_KEY_EPHEMERAL == "true"),
  auto_groups: (env.GROUP_IDS | fromjson | sort), rotation: env.NB_KEY_ROTATION}')"

keys="$(nb_call GET /api/setup-keys)"
valid_id="$(NAME="$NB_KEY_NAME" jq -r '[.[] | select(.name == env.NAME and .valid and (.revoked | not))][0].id // empty' <<<"$keys")"

if [ -n "$valid_id" ] && [ -s "$key_file" ] && [ -s "$spec_file" ] && [ "$(cat "$spec_file")" = "$spec" ]; then
  nb_log "setup key $NB_KEY_NAME is current"
else
  # Revoke every still-valid key of this name first: a rotated key must stop working.
  for id in $(NAME="$NB_KEY_NAME" jq -r '.[] | select(.name == env.NAME and (.revoked | not)) | .id' <<<"$keys"); do
    NAME="$NB_KEY_NAME" GROUPS_JSON="$(ID="$id" jq -c '[.[] | select(.id == env.ID)][0].auto_groups' <<<"$keys")" \
      jq -n '{name: env.NAME, revoked: true, auto_groups: (env.GROUPS_JSON | fromjson)}' |
      nb_call PUT "/api/setup-keys/$id" --body >/dev/null
    nb_log "revoked old setup key $NB_KEY_NAME ($id)"
  done
  created="$(jq '{name, type, expires_in, usage_limit, ephemeral, auto_groups}' <<<"$spec" | nb_call POST /api/setup-keys --body)"
  jq -r '.key // empty' <<<"$created" >"$key_file.new"
  [ -s "$key_file.new" ] || { rm -f "$key_file.new"; nb_die "POST /api/setup-keys returned no key"; }
  mv "$key_file.new" "$key_file"
  printf '%s' "$spec" >"$spec_file"
  nb_log "created setup key $NB_KEY_NAME ($(jq -r '.id' <<<"$created")), stored in $key_file"
fi

if [ "$emit" = true ]; then
  cat "$key_file"
fi
