#!/usr/bin/env bash
# Test driver (CaddyDoubleTests): in throw-away user, mount, network and PID namespaces (unshare -rmnpf), the
# product's Caddyfile (rendered with Caddy's internal CA: ACME is unreachable) in front of the server double
# (as netbird-server) and the dashboard double (as netbird-dashboard), both on port 80 as the compose file runs
# them. Calls every route Caddy proxies and writes the answers as files in WORK.
# Usage: caddy-e2e.sh REPO DOUBLE_DLL CONFIG CADDYFILE WORK
set -euo pipefail
repo="$1" dll="$2" config="$3" caddyfile="$4" work="$5"
fqdn=netbird.boma.test
ip link set lo up
# The compose service names and the public name, as Docker's and the public DNS would resolve them.
printf '127.0.0.1 localhost %s\n127.0.0.2 netbird-server\n127.0.0.3 netbird-dashboard\n' "$fqdn" >"$work/hosts"
mount --bind "$work/hosts" /etc/hosts
NB_SETUP_PAT_ENABLED=true dotnet "$dll" --config "$config" --listen 127.0.0.2:80 --data-dir "$work/data" >"$work/server.log" 2>&1 &
dotnet "$dll" --dashboard --listen 127.0.0.3:80 >"$work/dashboard.log" 2>&1 &
export XDG_DATA_HOME="$work/caddy-data" XDG_CONFIG_HOME="$work/caddy-config"
caddy run --config "$caddyfile" --adapter caddyfile >"$work/caddy.log" 2>&1 &
ca="$XDG_DATA_HOME/caddy/pki/authorities/local/root.crt"
for _ in $(seq 1 60); do
  if [ -s "$ca" ] && curl -sf --cacert "$ca" -o /dev/null "https://$fqdn/api/instance"; then break; fi
  sleep 0.5
done
https() { curl -sS --cacert "$ca" "$@"; }

https "https://$fqdn/api/instance" >"$work/instance.json"
https -o "$work/setup.body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary '{}' "https://$fqdn/api/setup" >"$work/setup.status"
https "https://$fqdn/nb-auth" >"$work/dashboard.html"
# gRPC over TLS to Caddy, h2c from Caddy to the server: GetServerKey with an empty request message.
printf '\0\0\0\0\0' >"$work/empty.grpc"
https --http2 -D "$work/grpc.headers" -o "$work/grpc.body" -X POST -H 'Content-Type: application/grpc' -H 'TE: trailers' \
  --data-binary @"$work/empty.grpc" "https://$fqdn/management.ManagementService/GetServerKey"
# WebSocket upgrades over HTTP/1.1 (the relay and the gRPC-over-WebSocket fallbacks).
for path in relay ws-proxy/signal; do
  https --http1.1 -i -N --max-time 3 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "https://$fqdn/$path" 2>/dev/null | head -1 >"$work/ws-${path//\//-}" || true
done

# A peer enrols with the public URL (TLS through Caddy), the client trusting the CA as the system store would.
export NB_API=http://127.0.0.2:80 NB_STATE_DIR="$work/state" NB_OWNER_EMAIL=admin@example.org NB_DOUBLE_ROOT="$work/askari"
export PATH="$repo/rehearsal/doubles/netbird-client:$PATH" CURL_CA_BUNDLE="$ca"
echo 'correct-horse-battery' | bash "$repo/hosts/netbird-api/setup.sh" 2>/dev/null
NB_KEY_NAME=servers bash "$repo/hosts/netbird-api/setup-key.sh" 2>/dev/null
netbird service start >/dev/null
netbird up --management-url "https://$fqdn" --setup-key-file "$NB_STATE_DIR/setup-keys/servers.key" --hostname askari >/dev/null
netbird status --json >"$work/status.json"
echo finished >"$work/finished"
