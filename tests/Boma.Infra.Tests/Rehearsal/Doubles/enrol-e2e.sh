#!/usr/bin/env bash
# Test driver (NetbirdClientDoubleTests): inside its own user, network and PID namespaces (unshare -rnpf), runs the
# server double on 127.0.0.1:8081, the product's hosts/netbird-api scripts against it and the netbird client double
# through enrol-peer.sh. Writes its findings as files in WORK for the test to read.
# Usage: enrol-e2e.sh REPO DOUBLE_DLL CONFIG WORK CLIENT_VERSION
set -euo pipefail
repo="$1" dll="$2" config="$3" work="$4" version="$5"
api="$repo/hosts/netbird-api"
ip link set lo up
NB_SETUP_PAT_ENABLED=true dotnet "$dll" --config "$config" --listen 127.0.0.1:8081 --data-dir "$work/data" >"$work/server.log" 2>&1 &
export NB_API=http://127.0.0.1:8081 NB_STATE_DIR="$work/state" NB_OWNER_EMAIL=admin@example.org
export PATH="$repo/rehearsal/doubles/netbird-client:$PATH"

echo 'correct-horse-battery' | bash "$api/setup.sh"
NB_KEY_NAME=servers NB_KEY_GROUPS=infra bash "$api/setup-key.sh"
NB_KEY_NAME=laptop NB_KEY_TYPE=one-off bash "$api/setup-key.sh"
bash "$api/account.sh" boma.example.org >/dev/null

# askari: the daemon, then enrolment twice (the second finds it connected).
export NB_DOUBLE_ROOT="$work/askari"
netbird service install >/dev/null
netbird service start >/dev/null
bash "$api/enrol-peer.sh" "$NB_API" "$NB_STATE_DIR/setup-keys/servers.key" askari "$version" >"$work/ip-first" 2>"$work/enrol-first.log"
bash "$api/enrol-peer.sh" "$NB_API" "$NB_STATE_DIR/setup-keys/servers.key" askari "$version" >"$work/ip-second" 2>"$work/enrol-second.log"
ip -4 -o addr show dev wt0 | awk '{print $4}' >"$work/wt0"
netbird status --json >"$work/status.json"
netbird status >"$work/status.txt"

# A one-off key enrols one laptop; a second laptop with the same key is refused.
NB_DOUBLE_ROOT="$work/laptop1" netbird service start >/dev/null
NB_DOUBLE_ROOT="$work/laptop1" netbird up --management-url "$NB_API" --setup-key-file "$NB_STATE_DIR/setup-keys/laptop.key" \
  --hostname laptop1 --interface-name wt1 >/dev/null
NB_DOUBLE_ROOT="$work/laptop2" netbird service start >/dev/null
rc=0
NB_DOUBLE_ROOT="$work/laptop2" netbird up --management-url "$NB_API" --setup-key-file "$NB_STATE_DIR/setup-keys/laptop.key" \
  --hostname laptop2 --interface-name wt2 2>"$work/one-off-again.err" || rc=$?
echo "$rc" >"$work/one-off-again.rc"

curl -sS -H @<(printf 'Authorization: Token %s\n' "$(cat "$NB_STATE_DIR/admin.pat")") "$NB_API/api/peers" >"$work/peers.json"
netbird down >/dev/null
ip -4 -o addr show dev wt0 | wc -l >"$work/wt0-after-down"
netbird status --ipv4 >"$work/ipv4-after-down"
echo finished >"$work/finished"
