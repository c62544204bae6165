#!/usr/bin/env bash
# Runs on askari as root (the rehearsal sends it over SSH once Docker is installed, before caddy-up), with NAMES set
# to Caddy's site names. ACME is unreachable in the lab, so the certificate ACME would have issued (here from the lab
# CA, which askari and the checks trust; lab.sh made it) goes where Caddy's ACME issuer keeps its certificates, in
# the volume compose will mount at /data. Caddy then loads it from storage as after a real issuance.
set -euo pipefail
src=/var/lib/boma-rehearsal/caddy
: "${NAMES:?NAMES is not set}"
# The volume as `docker compose` (project caddy, volume caddy_data) creates it, so compose adopts it as its own.
if ! docker volume inspect caddy_caddy_data >/dev/null 2>&1; then
  docker volume create --label com.docker.compose.project=caddy --label com.docker.compose.volume=caddy_data \
    --label "com.docker.compose.version=$(docker compose version --short 2>/dev/null || echo 2)" caddy_caddy_data >/dev/null
fi
data="$(docker volume inspect -f '{{.Mountpoint}}' caddy_caddy_data)"
for name in $NAMES; do
  dir="$data/caddy/certificates/acme-v02.api.letsencrypt.org-directory/$name"
  install -d -m 0700 "$dir"
  install -m 0644 "$src/cert.pem" "$dir/$name.crt"
  install -m 0600 "$src/key.pem" "$dir/$name.key"
  printf '{"sans":["%s"],"issuer_data":{"url":"lab CA (boma rehearsal)"}}\n' "$name" >"$dir/$name.json"
  printf '%s\n' "$name"
done
