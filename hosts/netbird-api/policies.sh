#!/usr/bin/env bash
# Make the account's access policies match a spec file, then remove the default Allow-All.
#
# Usage: policies.sh SPEC.json
#   SPEC: {"removeDefault": true, "policies": [{"name", "description", "rules": [{"name", "sources": [group names],
#          "destinations": [group names], "protocol": "all|tcp|udp|icmp|netbird-ssh", "ports": ["22"],
#          "bidirectional": false, "action": "accept"}]}]}
# Order matters: every policy of the spec is created or updated first (groups are created when
# missing); only when all of them exist is the policy named "Default" deleted, so peers never
# lose the connectivity the spec grants. Policies not in the spec (other than Default) are left alone.
# Prints a JSON summary {name: id}. The token is never printed (see nb-lib.sh).
# shellcheck source=nb-lib.sh
. "$(dirname "$0")/nb-lib.sh"
nb_need curl jq

spec_file="${1:?usage: policies.sh SPEC.json}"
[ -r "$spec_file" ] || nb_die "cannot read $spec_file"
jq -e '(.policies | type == "array" and length > 0) and all(.policies[]; (.name | type == "string") and (.rules | length > 0))' \
  "$spec_file" >/dev/null || nb_die "$spec_file needs a non-empty .policies array, each with a name and rules"

mapfile -t group_names < <(jq -r '[.policies[].rules[] | (.sources + .destinations)[]] | unique | .[]' "$spec_file")
groups="$(nb_group_ids "${group_names[@]}")"
export GROUPS_JSON="$groups"

existing="$(nb_call GET /api/policies)"
count="$(jq '.policies | length' "$spec_file")"
summary='{}'
for ((i = 0; i < count; i++)); do
  body="$(I="$i" jq -c '.policies[env.I | tonumber] as $p | (env.GROUPS_JSON | fromjson) as $g |
    {name: $p.name, description: ($p.description // ""), enabled: true, source_posture_checks: [],
     rules: [$p.rules[] | {name, description: (.description // ""), enabled: true, action: (.action // "accept"),
             bidirectional: (.bidirectional // false), protocol: (.protocol // "all"),
             sources: [.sources[] | $g[.]], destinations: [.destinations[] | $g[.]]}
             + (if (.ports // []) | length > 0 then {ports: .ports} else {} end)]}' "$spec_file")"
  name="$(jq -r '.name' <<<"$body")"
  id="$(NAME="$name" jq -r '[.[] | select(.name == env.NAME)][0].id // empty' <<<"$existing")"
  if [ -n "$id" ]; then
    id="$(nb_call PUT "/api/policies/$id" --body <<<"$body" | jq -r '.id')"
    nb_log "updated policy $name"
  else
    id="$(nb_call POST /api/policies --body <<<"$body" | jq -r '.id')"
    nb_log "created policy $name"
  fi
  summary="$(NAME="$name" ID="$id" jq -c '. + {(env.NAME): env.ID}' <<<"$summary")"
done

if [ "$(jq -r '.removeDefault // true' "$spec_file")" = true ]; then
  # Re-read: delete Default only once every spec policy is really there.
  now="$(nb_call GET /api/policies)"
  missing="$(SUMMARY="$summary" jq -r '(env.SUMMARY | fromjson | keys) - [.[].name] | join(", ")' <<<"$now")"
  [ -z "$missing" ] || nb_die "policies $missing are not on the server; the Default policy is kept"
  for id in $(jq -r '.[] | select(.name == "Default") | .id' <<<"$now"); do
    nb_call DELETE "/api/policies/$id" >/dev/null
    nb_log "deleted the default Allow-All policy ($id)"
  done
fi

printf '%s\n' "$summary"
