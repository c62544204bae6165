#!/usr/bin/env bash
# Enrol this host into the mesh with a setup key that is already on the host (written by setup-key.sh).
#
# Usage: enrol-peer.sh MANAGEMENT_URL SETUP_KEY_FILE [HOSTNAME]
# Installs the NetBird client from NetBird's apt repository when it is missing, runs `netbird up`
# with --setup-key-file (the key never appears on a command line), and prints the mesh IPv4.
# Idempotent: a host already connected to this management URL is left as it is.
set -euo pipefail

url="${1:?usage: enrol-peer.sh MANAGEMENT_URL SETUP_KEY_FILE [HOSTNAME]}"
key_file="${2:?usage: enrol-peer.sh MANAGEMENT_URL SETUP_KEY_FILE [HOSTNAME]}"
name="${3:-$(hostname)}"
[ -s "$key_file" ] || { echo "enrol-peer.sh: no setup key in $key_file" >&2; exit 1; }

if ! command -v netbird >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq ca-certificates curl gpg >/dev/null
  curl -fsSL https://pkgs.netbird.io/debian/public.key | gpg --dearmor --yes -o /usr/share/keyrings/netbird-archive-keyring.gpg
  echo 'deb [signed-by=/usr/share/keyrings/netbird-archive-keyring.gpg] https://pkgs.netbird.io/debian stable main' \
    >/etc/apt/sources.list.d/netbird.list
  apt-get update -qq
  apt-get install -y -qq netbird >/dev/null
  netbird service install >/dev/null 2>&1 || true
  netbird service start >/dev/null 2>&1 || true
fi

status="$(netbird status --json 2>/dev/null || echo '{}')"
connected="$(jq -r '.management.connected // false' <<<"$status")"
current_url="$(jq -r '.management.url // ""' <<<"$status")"
if [ "$connected" = true ] && [ "${current_url%/}" = "${url%/}" ]; then
  echo "enrol-peer.sh: already connected to $url" >&2
else
  netbird up --management-url "$url" --setup-key-file "$key_file" --hostname "$name" >&2
fi

for _ in $(seq 1 30); do
  ip="$(netbird status --ipv4 2>/dev/null || true)"
  if [ -n "$ip" ]; then
    printf '%s\n' "$ip"
    exit 0
  fi
  sleep 2
done
echo "enrol-peer.sh: netbird up ran but no mesh IPv4 yet (check netbird status)" >&2
exit 1
