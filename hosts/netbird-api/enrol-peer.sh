#!/usr/bin/env bash
# Enrol this host into the mesh with a setup key that is already on the host (written by setup-key.sh).
#
# Usage: enrol-peer.sh MANAGEMENT_URL SETUP_KEY_FILE HOSTNAME CLIENT_VERSION [--disable-dns]
# 1. Waits until the coordinator answers through its public name ($MANAGEMENT_URL/api/instance, i.e. through
#    Caddy and its certificate): `netbird up` takes the same path, and right after deploy Caddy may still be
#    getting the certificate.
# 2. Installs the NetBird client CLIENT_VERSION (the server's version) from NetBird's apt repository and holds
#    it there, unless exactly that version is installed.
# 3. Runs `netbird up` with --setup-key-file (the key never appears on a command line) unless the client is
#    already connected to this management URL. --disable-dns is passed on to `netbird up` (askari: the client
#    leaves /etc/resolv.conf alone, see docs/netbird.md "DNS on askari").
# 4. Prints the mesh IPv4 (the only line on stdout).
set -euo pipefail

usage="usage: enrol-peer.sh MANAGEMENT_URL SETUP_KEY_FILE HOSTNAME CLIENT_VERSION [--disable-dns]"
url="${1:?$usage}"
key_file="${2:?$usage}"
name="${3:?$usage}"
version="${4:?$usage}"
shift 4
up_flags=()
for flag in "$@"; do
  case "$flag" in
    --disable-dns) up_flags+=(--disable-dns) ;;
    *) echo "enrol-peer.sh: unknown option $flag ($usage)" >&2; exit 2 ;;
  esac
done
# Tests only: a root prefix for the apt files this script writes, and shorter waits.
root="${NB_ROOT:-}"
[ -s "$key_file" ] || { echo "enrol-peer.sh: no setup key in $key_file" >&2; exit 1; }
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "enrol-peer.sh: CLIENT_VERSION must look like 0.72.4, got '$version'" >&2; exit 2; }

# The client stores its management URL with the scheme's default port (https → :443), so
# https://netbird.example.org and https://netbird.example.org:443/ are the same coordinator.
normalise_url() {
  local u="${1%/}" scheme rest hostport
  scheme="${u%%://*}"
  rest="${u#*://}"
  hostport="${rest%%/*}"
  rest="${rest#"$hostport"}"
  if [[ "$hostport" != *:* ]]; then
    case "$scheme" in
      https) hostport="$hostport:443" ;;
      http) hostport="$hostport:80" ;;
    esac
  fi
  printf '%s://%s%s' "$scheme" "$hostport" "$rest"
}

ready=false
for _ in $(seq 1 "${NB_WAIT_TRIES:-60}"); do
  if curl -fsS -o /dev/null --max-time 10 "${url%/}/api/instance" </dev/null; then
    ready=true
    break
  fi
  sleep "${NB_WAIT_SECONDS:-5}"
done
[ "$ready" = true ] || { echo "enrol-peer.sh: ${url%/}/api/instance does not answer (Caddy, its certificate and netbird-server must be up)" >&2; exit 1; }

installed="$(netbird version 2>/dev/null </dev/null || true)"
if [ "$installed" != "$version" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq ca-certificates curl gpg </dev/null >/dev/null
  keyring="$root/usr/share/keyrings/netbird-archive-keyring.gpg"
  curl -fsSL https://pkgs.netbird.io/debian/public.key </dev/null | gpg --dearmor --yes -o "$keyring"
  echo 'deb [signed-by=/usr/share/keyrings/netbird-archive-keyring.gpg] https://pkgs.netbird.io/debian stable main' \
    >"$root/etc/apt/sources.list.d/netbird.list"
  # apt checks signatures as the _apt user: under the hardened umask (027) the keyring would be root-only and
  # every `apt-get update` would call the repository "not signed" (found by the rehearsal).
  chmod 0644 "$keyring" "$root/etc/apt/sources.list.d/netbird.list"
  apt-get update -qq </dev/null
  # The client speaks the server's protocol version: pinned to it, held against `apt upgrade`.
  apt-mark unhold netbird </dev/null >/dev/null 2>&1 || true
  apt-get install -y -qq --allow-downgrades "netbird=$version" </dev/null >/dev/null
  apt-mark hold netbird </dev/null >/dev/null
  netbird service install </dev/null >/dev/null 2>&1 || true
  netbird service start </dev/null >/dev/null 2>&1 || true
  echo "enrol-peer.sh: netbird client $version installed (was '${installed:-none}')" >&2
fi

status="$(netbird status --json 2>/dev/null </dev/null || echo '{}')"
connected="$(jq -r '.management.connected // false' <<<"$status")"
current_url="$(jq -r '.management.url // ""' <<<"$status")"
if [ "$connected" = true ] && [ "$(normalise_url "$current_url")" = "$(normalise_url "$url")" ]; then
  echo "enrol-peer.sh: already connected to $url" >&2
else
  netbird up --management-url "$url" --setup-key-file "$key_file" --hostname "$name" "${up_flags[@]}" </dev/null >&2
fi

# `status --ipv4` prints the login help text (exit 0) while the daemon needs a login, so the address comes
# from the JSON status, and only once management is connected and it is an IPv4 address.
for _ in $(seq 1 "${NB_IP_TRIES:-30}"); do
  status="$(netbird status --json 2>/dev/null </dev/null || echo '{}')"
  ip="$(jq -r 'if .management.connected == true then (.netbirdIp // "") else "" end' <<<"$status")"
  ip="${ip%%/*}"
  if [[ "$ip" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then
    printf '%s\n' "$ip"
    exit 0
  fi
  sleep "${NB_WAIT_SECONDS:-2}"
done
echo "enrol-peer.sh: netbird up ran but no mesh IPv4 yet (check netbird status)" >&2
exit 1
