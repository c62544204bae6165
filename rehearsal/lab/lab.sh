#!/usr/bin/env bash
# The rehearsal lab's host side: preflight, the cached Debian 13 image, network namespaces, askari booted
# with systemd-nspawn, the storage box, the lab's DNS and pkgs.netbird.io, and teardown. See docs/rehearsal.md.
#
#   lab.sh preflight                  what is missing (exit 2, one line) — nothing touched
#   lab.sh image                      make the cached pristine trixie image if it is missing
#   lab.sh up STATE                   namespaces, relay, DNS, storage box, askari's root filesystem + NoCloud seed
#   lab.sh boot STATE                 boot askari (systemd-nspawn --boot) in the background; wait for sshd
#   lab.sh stop STATE                 wait for askari's systemd-nspawn to exit (after a poweroff), killing it after 90 s
#   lab.sh down STATE                 tear everything down (idempotent)
#   lab.sh lan-up STATE GW/P ADMIN_GW/P ADMIN CLIENT   the cluster rehearsal's LAN: router, admins' LAN, a LAN client
#   lab.sh vm-up STATE NAME ADDR/P GW SEED RESOLV      a cluster VM's namespace, root filesystem and NoCloud seed
#   lab.sh vm-boot STATE NAME ADDR | vm-stop STATE NAME  boot a cluster VM | wait for it to exit after a poweroff
#
# Safety: every address, route and server lives in the lab's namespaces (prefix brl-); this machine's own network
# namespace, firewall and /etc are never touched. The only traffic that leaves the machine is apt to the Debian
# mirror, through a UNIX socket relayed by socat.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${BOMA_REHEARSAL_CACHE:-/var/cache/boma-rehearsal}"
MIRROR="${BOMA_TRIXIE_MIRROR:-http://deb.debian.org/debian}"
MIRROR_HOST="$(sed -E 's|^http://([^/:]+).*|\1|' <<<"$MIRROR")"
MINBASE="$CACHE/trixie-minbase.tar"
IMAGE="$CACHE/trixie-cloud.tar"
# What the image adds to minbase so it starts like Hetzner's debian-13 image (docs/rehearsal.md says why each).
IMAGE_PACKAGES="systemd systemd-sysv dbus openssh-server cloud-init sudo ca-certificates curl gnupg iproute2 iputils-ping procps less netbase python3 systemd-timesyncd"
NEED_MB="${BOMA_REHEARSAL_NEED_MB:-6000}"

# The lab's addresses: 198.18.0.0/15 (RFC 2544, benchmarking; never routed on the internet) and ULA fdb0:a5a1::/48.
NS_INET=brl-inet
NS_ASKARI=brl-askari
NS_STORAGE=brl-storage
NS_OPERATOR=brl-operator
NS_STRANGER=brl-stranger
NS_PKGS=brl-pkgs
NS_DNS=brl-dns
# name index: the link is 198.18.<index>.0/24, the router .1, the host .10
declare -A NET=([askari]=1 [storage]=2 [operator]=3 [stranger]=4 [pkgs]=5 [dns]=6)
declare -A NS=([askari]=$NS_ASKARI [storage]=$NS_STORAGE [operator]=$NS_OPERATOR [stranger]=$NS_STRANGER [pkgs]=$NS_PKGS [dns]=$NS_DNS)
DNS_IP=198.18.6.10

die() { printf 'rehearsal: %s\n' "$*" >&2; exit 2; }
say() { printf '== %s\n' "$*" >&2; }

preflight() {
  [[ "$(id -u)" -eq 0 ]] || die "must run as root (namespaces, systemd-nspawn): run it with sudo"
  command -v systemd-nspawn >/dev/null || die "systemd-nspawn is missing: apt-get install systemd-container"
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
  local t pkg
  for t in socat:socat nmap:nmap dnsmasq:dnsmasq-base ssh:openssh-client sshd:openssh-server openssl:openssl python3:python3 ip:iproute2 curl:curl; do
    pkg="${t#*:}"
    t="${t%%:*}"
    command -v "$t" >/dev/null || [[ -x "/usr/sbin/$t" ]] || die "$t is missing: apt-get install $pkg"
  done
  mkdir -p "$CACHE" 2>/dev/null || die "cannot create the image cache $CACHE (set BOMA_REHEARSAL_CACHE)"
  local free
  free="$(df -Pm "$CACHE" | awk 'NR == 2 { print $4 }')"
  [[ "$free" -ge "$NEED_MB" ]] || die "only ${free} MB free under $CACHE; the rehearsal needs ${NEED_MB} MB (free some space or set BOMA_REHEARSAL_CACHE)"
  if ip netns list | grep '^brl-' >/dev/null; then  # not -q: under pipefail an early exit is a SIGPIPE
    die "a rehearsal lab is still up (ip netns list shows brl-*): run the rehearsal's teardown or 'rehearsal/lab/lab.sh down STATE'"
  fi
}

# apt inside a chroot with no network: 127.0.0.1:3142 -> UNIX socket -> the mirror (relay in this namespace).
relay_to_mirror() {
  local sock="$1"
  # its output must not hold the caller's $(...) open
  socat "UNIX-LISTEN:$sock,fork,mode=0600" "TCP:$MIRROR_HOST:80" >/dev/null 2>&1 </dev/null &
  echo $!
}

chroot_apt() {
  # runs inside "unshare -mn": private mounts, an empty network namespace
  local root="$1" sock="$2"
  shift 2
  ip link set lo up
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  socat TCP-LISTEN:3142,bind=127.0.0.1,fork,reuseaddr "UNIX-CONNECT:$sock" &
  local relay=$!
  sleep 0.3
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
  local rc=$?
  kill "$relay" 2>/dev/null || true
  return "$rc"
}

image() {
  mkdir -p "$CACHE"
  if [[ -s "$IMAGE" ]]; then return 0; fi
  local work
  work="$(mktemp -d "$CACHE/build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the trap must remove this build's directory
  trap "rm -rf --one-file-system '$work'" RETURN
  if [[ ! -s "$MINBASE" ]]; then
    say "debootstrap --variant=minbase trixie (pristine copy cached as $MINBASE)"
    debootstrap --variant=minbase trixie "$work/root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    tar -C "$work/root" --numeric-owner -cf "$MINBASE.tmp" . && mv "$MINBASE.tmp" "$MINBASE"
    rm -rf --one-file-system "$work/root"
  fi
  say "image: minbase + $IMAGE_PACKAGES"
  mkdir -p "$work/root"
  tar -C "$work/root" --numeric-owner -xf "$MINBASE"
  cat >"$work/root/etc/apt/sources.list" <<EOF
deb $MIRROR trixie main
deb $MIRROR trixie-updates main
deb ${MIRROR%/debian}/debian-security trixie-security main
EOF
  printf 'Acquire::http::Proxy "http://127.0.0.1:3142/";\n' >"$work/root/etc/apt/apt.conf.d/00boma-rehearsal-proxy"
  printf '#!/bin/sh\nexit 101\n' >"$work/root/usr/sbin/policy-rc.d"
  chmod 0755 "$work/root/usr/sbin/policy-rc.d"
  local relay
  relay="$(relay_to_mirror "$work/mirror.sock")"
  sleep 0.3
  # shellcheck disable=SC2086 # a list of package names
  if ! unshare -mn --propagation private "$0" __chroot_apt "$work/root" "$work/mirror.sock" \
    sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $IMAGE_PACKAGES >/var/tmp/image-install.log 2>&1 || { tail -30 /var/tmp/image-install.log; exit 1; }"; then
    kill "$relay" 2>/dev/null || true
    die "installing the image packages failed"
  fi
  kill "$relay" 2>/dev/null || true
  rm -f "$work/root/usr/sbin/policy-rc.d"
  # A cloud image is generic: no host keys, no machine id, no apt lists (cloud-init and first boot make them).
  rm -f "$work/root"/etc/ssh/ssh_host_* "$work/root/var/tmp/image-install.log"
  : >"$work/root/etc/machine-id"
  rm -rf "$work/root"/var/lib/apt/lists/* "$work/root"/var/cache/apt/*.bin
  apt_clean="$work/root/var/cache/apt/archives"
  find "$apt_clean" -name '*.deb' -delete
  tar -C "$work/root" --numeric-owner -cf "$IMAGE.tmp" . && mv "$IMAGE.tmp" "$IMAGE"
}

ns_exec() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

start_bg() {
  # start_bg NAME NS CMD...: a lab daemon in namespace NS, pid in $STATE/pids/NAME, output in $STATE/logs/NAME.log
  local name="$1" ns="$2"
  shift 2
  if [[ "$ns" == - ]]; then
    setsid "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null &
  else
    setsid ip netns exec "$ns" "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null &
  fi
  echo $! >"$STATE/pids/$name"
}

network_up() {
  say "network namespaces (brl-*) and veths between them"
  local name ns i
  ip netns add "$NS_INET"
  ns_exec "$NS_INET" ip link set lo up
  ns_exec "$NS_INET" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  for name in askari storage operator stranger pkgs dns; do
    ns="${NS[$name]}"
    i="${NET[$name]}"
    ip netns add "$ns"
    ns_exec "$ns" ip link set lo up
    ip link add "r-$name" netns "$NS_INET" type veth peer name eth0 netns "$ns"
    ns_exec "$NS_INET" ip addr add "198.18.$i.1/24" dev "r-$name"
    ns_exec "$NS_INET" ip -6 addr add "fdb0:a5a1:$i::1/64" dev "r-$name" nodad
    ns_exec "$NS_INET" ip link set "r-$name" up
    ns_exec "$ns" ip addr add "198.18.$i.10/24" dev eth0
    ns_exec "$ns" ip -6 addr add "fdb0:a5a1:$i::10/64" dev eth0 nodad
    ns_exec "$ns" ip link set eth0 up
    ns_exec "$ns" ip route add default via "198.18.$i.1"
    ns_exec "$ns" ip -6 route add default via "fdb0:a5a1:$i::1"
  done
  # dockerd inside askari cannot write /proc/sys (read-only in the container): forwarding is set from outside.
  ns_exec "$NS_ASKARI" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  # The mesh stand-in: askari's wt0 is one end of a veth, the operator's laptop holds the other (the WireGuard tunnel).
  ip link add wt0 netns "$NS_ASKARI" type veth peer name wt0 netns "$NS_OPERATOR"
  ns_exec "$NS_OPERATOR" ip link set wt0 up
}

services_up() {
  local domain="$1"
  say "lab DNS (dnsmasq), relay to the mirror, pkgs.netbird.io, storage box"
  # DNS: the boma domain and its subdomains point at askari; pkgs.netbird.io and the storage box at theirs.
  start_bg dns "$NS_DNS" dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-dhcp-interface=eth0 \
    --conf-file=/dev/null --pid-file= --user=root --listen-address="$DNS_IP" --bind-interfaces \
    --address="/$domain/198.18.1.10" --address="/$domain/fdb0:a5a1:1::10" \
    --address=/pkgs.netbird.io/198.18.5.10 --address=/storage.lab.test/198.18.2.10 --log-facility=-
  # apt's way out: askari's 127.0.0.1:3142 -> UNIX socket -> (this namespace) the mirror's port 80.
  start_bg relay-out - socat "UNIX-LISTEN:$STATE/mirror.sock,fork,mode=0600" "TCP:$MIRROR_HOST:80"
  start_bg relay-in "$NS_ASKARI" socat TCP-LISTEN:3142,bind=127.0.0.1,fork,reuseaddr "UNIX-CONNECT:$STATE/mirror.sock"

  # A local CA for the lab's TLS (pkgs.netbird.io; Caddy's own internal CA is separate). ACME is unreachable here.
  mkdir -p "$STATE/ca"
  if [[ ! -s "$STATE/ca/ca.pem" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 -subj "/CN=boma rehearsal lab CA" \
      -keyout "$STATE/ca/ca.key" -out "$STATE/ca/ca.pem" 2>/dev/null
  fi
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=pkgs.netbird.io" \
    -keyout "$STATE/ca/pkgs.key" -out "$STATE/ca/pkgs.csr" 2>/dev/null
  openssl x509 -req -in "$STATE/ca/pkgs.csr" -CA "$STATE/ca/ca.pem" -CAkey "$STATE/ca/ca.key" -CAcreateserial -days 7 \
    -extfile <(printf 'subjectAltName=DNS:pkgs.netbird.io\nextendedKeyUsage=serverAuth\n') -out "$STATE/ca/pkgs.pem" 2>/dev/null
  if [[ -d "$STATE/images/netbird-repo" ]]; then
    start_bg pkgs "$NS_PKGS" python3 "$HERE/https-serve.py" 198.18.5.10 443 "$STATE/images/netbird-repo" "$STATE/ca/pkgs.pem" "$STATE/ca/pkgs.key"
  fi

  # The storage box: a plain sshd in its namespace on port 23 (as Hetzner's storage boxes), SFTP only, chrooted.
  # The rehearsal prepares it as an operator would (rehearsal/OffsiteRehearsal.cs): its host key, which the config
  # names in boma:backup.knownHosts, and authorized_keys with askari's backup key; both are kept when present.
  mkdir -p "$STATE/storage/root" "$STATE/run-sshd"
  chmod 0755 "$STATE/storage" "$STATE/storage/root"
  mkdir -p "$STATE/storage/root/boma-netbird"
  [[ -s "$STATE/storage/host_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/storage/host_ed25519"
  cat >"$STATE/storage/sshd_config" <<EOF
Port 23
ListenAddress 198.18.2.10
HostKey $STATE/storage/host_ed25519
PidFile none
AuthorizedKeysFile $STATE/storage/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
Subsystem sftp internal-sftp
ChrootDirectory $STATE/storage/root
ForceCommand internal-sftp
AllowTcpForwarding no
X11Forwarding no
EOF
  touch "$STATE/storage/authorized_keys"
  # sshd wants its privilege-separation directory; an existing one (openssh-server installed) is reused as it is.
  [[ -d /run/sshd ]] || install -d -m 0755 /run/sshd
  start_bg storage "$NS_STORAGE" /usr/sbin/sshd -D -e -f "$STATE/storage/sshd_config"
}

# The certificate ACME would give Caddy for askari's public names (*.askari.DOMAIN), from the lab CA: ACME is
# unreachable in the lab, so seed-caddy-certs.sh puts it where Caddy's ACME issuer keeps its certificates.
caddy_cert() {
  local domain="$1" dir="$2"
  mkdir -p "$dir"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=askari.$domain" \
    -keyout "$dir/key.pem" -out "$STATE/ca/caddy.csr" 2>/dev/null
  openssl x509 -req -in "$STATE/ca/caddy.csr" -CA "$STATE/ca/ca.pem" -CAkey "$STATE/ca/ca.key" -CAcreateserial -days 7 \
    -extfile <(printf 'subjectAltName=DNS:*.askari.%s,DNS:askari.%s\nextendedKeyUsage=serverAuth\n' "$domain" "$domain") \
    -out "$dir/cert.pem" 2>/dev/null
}

askari_root() {
  local user_data="$1" domain="$2" ca="$STATE/ca/ca.pem"
  say "askari's root filesystem from the cached image, NoCloud seed"
  local root="$STATE/askari"
  rm -rf --one-file-system "$root"
  mkdir -p "$root"
  tar -C "$root" --numeric-owner -xf "$IMAGE"
  # cloud-init: the NoCloud seed carries the plan's user-data (Hetzner's own datasource is not reachable here).
  mkdir -p "$root/var/lib/cloud/seed/nocloud"
  cp "$user_data" "$root/var/lib/cloud/seed/nocloud/user-data"
  printf 'instance-id: boma-rehearsal-%s\nlocal-hostname: askari\n' "$(date +%s)" >"$root/var/lib/cloud/seed/nocloud/meta-data"
  cat >"$root/etc/cloud/cloud.cfg.d/90-boma-rehearsal.cfg" <<'EOF'
# boma rehearsal: the NoCloud seed stands in for Hetzner's metadata service; the lab gives eth0 its address
# (as Hetzner's DHCP would), so cloud-init leaves the network alone.
datasource_list: [NoCloud, None]
network: {config: disabled}
EOF
  # The lab's resolver (Hetzner's images point at Hetzner's); the lab CA, so pkgs.netbird.io's certificate verifies.
  rm -f "$root/etc/resolv.conf"
  printf 'nameserver %s\n' "$DNS_IP" >"$root/etc/resolv.conf"
  install -D -m 0644 "$ca" "$root/usr/local/share/ca-certificates/boma-rehearsal-lab.crt"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  # apt to the Debian mirror through the relay; pkgs.netbird.io (https) goes direct inside the lab (apt's https
  # method would otherwise take Acquire::http::Proxy too, and the relay leads only to the mirror). DIRECT is a
  # per-host value in apt.conf, not a global one.
  printf '%s\n' 'Acquire::http::Proxy "http://127.0.0.1:3142/";' 'Acquire::http::Proxy::pkgs.netbird.io "DIRECT";' \
    'Acquire::https::Proxy::pkgs.netbird.io "DIRECT";' >"$root/etc/apt/apt.conf.d/00boma-rehearsal-proxy"
  # Rehearsal pitfall (docs/design/hosts.md, "The rehearsal lab"): dockerd in a container cannot disable IPv6 on an IPv4-only interface.
  mkdir -p "$root/etc/systemd/system/docker.service.d"
  printf '[Service]\nEnvironment=DOCKER_ALLOW_IPV6_ON_IPV4_INTERFACE=1\n' >"$root/etc/systemd/system/docker.service.d/boma-rehearsal.conf"
  caddy_cert "$domain" "$root/var/lib/boma-rehearsal/caddy"
  # Images the compose files pin, imported on first boot (no registry is reachable).
  if [[ -s "$STATE/images/images.tsv" ]]; then
    mkdir -p "$root/var/lib/boma-rehearsal/images"
    cp "$STATE/images/images.tsv" "$STATE/images"/*.tar "$root/var/lib/boma-rehearsal/images/" 2>/dev/null || true
  fi
}

# One machine's boot: KEY names its pid and log files, ROOT its tree, NETNS its network namespace, NAME the machine,
# ARCHIVES apt's archive cache; ready once sshd at ADDRESS answers from PROBE_NS.
nspawn_boot() {
  local key="$1" root="$2" netns="$3" name="$4" archives="$5" probe_ns="$6" address="$7"
  say "boot $name: systemd-nspawn --boot"
  mkdir -p "$archives/partial"
  # The console's output goes to the log: with --console=passive nobody reads the pseudo TTY, and once its buffer is
  # full systemd (PID 1) blocks writing a status line and every systemctl call in the machine waits on it.
  SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 start_bg "$key" - systemd-nspawn -q -D "$root" --boot \
    --register=no --keep-unit --capability=all \
    --system-call-filter='add_key keyctl request_key bpf' \
    --resolv-conf=off --timezone=off --link-journal=no --console=read-only \
    --bind="$archives:/var/cache/apt/archives" \
    --network-namespace-path="/run/netns/$netns" --machine="$name"
  local i
  for i in $(seq 1 120); do
    if ! kill -0 "$(cat "$STATE/pids/$key")" 2>/dev/null; then
      tail -20 "$STATE/logs/$key.log" >&2
      die "$name's systemd-nspawn exited during boot"
    fi
    if ns_exec "$probe_ns" bash -c "exec 3<>/dev/tcp/$address/22" 2>/dev/null; then
      say "$name: sshd answers after ${i}s"
      return 0
    fi
    sleep 1
  done
  die "$name's sshd did not answer within 120 s (log: $STATE/logs/$key.log)"
}

# Wait for the machine KEY's systemd-nspawn to exit (after a poweroff), killing it after 90 s.
nspawn_wait() {
  local pidfile="$STATE/pids/$1" pid
  [[ -s "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  for _ in $(seq 1 90); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    sleep 1
  done
  kill -TERM "$pid" 2>/dev/null || true
  sleep 5
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# apt's downloaded packages outlive the lab (a warm cache saves minutes); lists and everything else stay fresh.
boot() { nspawn_boot askari "$STATE/askari" "$NS_ASKARI" askari "$CACHE/apt-archives" "$NS_OPERATOR" 198.18.1.10; }

down() {
  local f pid name
  if [[ -s "$STATE/pids/askari" ]]; then
    pid="$(cat "$STATE/pids/askari")"
    # SIGTERM to systemd-nspawn asks the container's systemd to power off.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$STATE/pids/askari"
  fi
  # The cluster VMs: SIGTERM asks each container's systemd to power off, as for askari.
  for f in "$STATE"/pids/vm-*; do
    [[ -e "$f" ]] || continue
    kill -TERM "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$STATE"/pids/vm-*; do
    [[ -e "$f" ]] || continue
    pid="$(cat "$f")"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  for f in "$STATE"/pids/*; do
    [[ -e "$f" ]] || continue
    pid="$(cat "$f")"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  # Anything still running inside a lab namespace (a stray ssh, dockerd's children after a kill) goes too.
  for name in $(ip netns list | awk '/^brl-/ { print $1 }'); do
    for pid in $(ip netns pids "$name" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  sleep 0.5
  for name in $(ip netns list | awk '/^brl-/ { print $1 }'); do ip netns del "$name" 2>/dev/null || true; done
  for r in "$STATE/askari" "$STATE"/vm-*; do
    [[ -d "$r" ]] || continue
    awk -v r="$r" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  done
  rm -f "$STATE/mirror.sock"
}

# --- the cluster rehearsal: a LAN shaped like boma:network behind a router, one machine per role -------------------
# brl-lan is the router: its uplink 198.18.8.10 into brl-inet, the gateway address on the bridge br0 (the server
# network), the admins' LAN on a second link to brl-admin, and dnsmasq on the gateway address as the first-boot
# resolver (boma:network.bootstrapDns), forwarding to the lab DNS. brl-lanclient sits on the server network outside
# boma:network.sshSources. Each VM is a namespace brl-vm-NAME whose eth0 is a port of br0.
NS_LAN=brl-lan
NS_ADMIN=brl-admin
NS_LANCLIENT=brl-lanclient

network_of() { python3 -c 'import ipaddress, sys; print(ipaddress.ip_interface(sys.argv[1]).network)' "$1"; }

lan_up() {
  # lan_up GATEWAY/PREFIX ADMIN_GATEWAY/PREFIX ADMIN_HOST LAN_CLIENT
  local gateway_cidr="$1" admin_cidr="$2" admin_host="$3" client_ip="$4"
  local gateway="${gateway_cidr%/*}" prefix="${gateway_cidr#*/}" admin_gw="${admin_cidr%/*}" admin_prefix="${admin_cidr#*/}"
  local subnet admin_net
  subnet="$(network_of "$gateway_cidr")"
  admin_net="$(network_of "$admin_cidr")"
  say "cluster LAN: router brl-lan (gateway $gateway_cidr, admins $admin_cidr), server network $subnet"
  ip netns add "$NS_LAN"
  ns_exec "$NS_LAN" ip link set lo up
  ns_exec "$NS_LAN" sysctl -qw net.ipv4.ip_forward=1
  ip link add r-lan netns "$NS_INET" type veth peer name uplink netns "$NS_LAN"
  ns_exec "$NS_INET" ip addr add 198.18.8.1/24 dev r-lan
  ns_exec "$NS_INET" ip link set r-lan up
  ns_exec "$NS_LAN" ip addr add 198.18.8.10/24 dev uplink
  ns_exec "$NS_LAN" ip link set uplink up
  ns_exec "$NS_LAN" ip route add default via 198.18.8.1
  ns_exec "$NS_INET" ip route add "$subnet" via 198.18.8.10
  ns_exec "$NS_INET" ip route add "$admin_net" via 198.18.8.10
  ns_exec "$NS_LAN" ip link add br0 type bridge
  ns_exec "$NS_LAN" ip addr add "$gateway/$prefix" dev br0
  ns_exec "$NS_LAN" ip link set br0 up
  # The admins' LAN (inside boma:network.sshSources): the deploy and the checks run from here.
  ip netns add "$NS_ADMIN"
  ns_exec "$NS_ADMIN" ip link set lo up
  ip link add admin netns "$NS_LAN" type veth peer name eth0 netns "$NS_ADMIN"
  ns_exec "$NS_LAN" ip addr add "$admin_gw/$admin_prefix" dev admin
  ns_exec "$NS_LAN" ip link set admin up
  ns_exec "$NS_ADMIN" ip addr add "$admin_host/$admin_prefix" dev eth0
  ns_exec "$NS_ADMIN" ip link set eth0 up
  ns_exec "$NS_ADMIN" ip route add default via "$admin_gw"
  # A client on the server network outside sshSources: what it reaches is the VMs' exposure to the LAN.
  ip netns add "$NS_LANCLIENT"
  ns_exec "$NS_LANCLIENT" ip link set lo up
  ip link add p-lanclient netns "$NS_LAN" type veth peer name eth0 netns "$NS_LANCLIENT"
  ns_exec "$NS_LAN" ip link set p-lanclient master br0
  ns_exec "$NS_LAN" ip link set p-lanclient up
  ns_exec "$NS_LANCLIENT" ip addr add "$client_ip/$prefix" dev eth0
  ns_exec "$NS_LANCLIENT" ip link set eth0 up
  ns_exec "$NS_LANCLIENT" ip route add default via "$gateway"
  # The first-boot resolver: the router's dnsmasq, forwarding to the lab's DNS (the boma domain, pkgs.netbird.io).
  start_bg lan-dns "$NS_LAN" dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null --pid-file= \
    --user=root --listen-address="$gateway" --bind-interfaces --server="$DNS_IP" --log-facility=-
}

vm_up() {
  # vm_up NAME ADDRESS/PREFIX GATEWAY SEED_DIR RESOLV_CONF: the VM's namespace on br0, root filesystem and seed
  local name="$1" address="$2" gateway="$3" seed="$4" resolv="$5"
  local ns="brl-vm-$name"
  local root="$STATE/vm-$name"
  say "VM $name ($address): namespace $ns, root filesystem from the cached image, NoCloud seed"
  ip netns add "$ns"
  ns_exec "$ns" ip link set lo up
  ip link add "v-$name" netns "$NS_LAN" type veth peer name eth0 netns "$ns"
  ns_exec "$NS_LAN" ip link set "v-$name" master br0
  ns_exec "$NS_LAN" ip link set "v-$name" up
  # The address Proxmox's cloud-init drive gives it (ipConfigs), applied by the lab as for askari.
  ns_exec "$ns" ip addr add "$address" dev eth0
  ns_exec "$ns" ip link set eth0 up
  ns_exec "$ns" ip route add default via "$gateway"
  # dockerd inside cannot write /proc/sys (read-only in the container): forwarding is set from outside.
  ns_exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  # The mesh stand-in, as for askari: the VM's wt0 is a veth whose other end (wt-NAME) is in the admins' namespace.
  ip link add wt0 netns "$ns" type veth peer name "wt-$name" netns "$NS_ADMIN"
  ns_exec "$NS_ADMIN" ip link set "wt-$name" up
  start_bg "relay-$name" "$ns" socat TCP-LISTEN:3142,bind=127.0.0.1,fork,reuseaddr "UNIX-CONNECT:$STATE/mirror.sock"
  rm -rf --one-file-system "$root"
  mkdir -p "$root"
  tar -C "$root" --numeric-owner -xf "$IMAGE"
  mkdir -p "$root/var/lib/cloud/seed/nocloud"
  cp "$seed"/* "$root/var/lib/cloud/seed/nocloud/"
  printf '%s\n' "# boma rehearsal: the NoCloud seed stands in for Proxmox's cloud-init drive; the lab gives eth0 the" \
    "# address and writes the first-boot resolvers the plan names, so cloud-init leaves the network alone." \
    'datasource_list: [NoCloud, None]' 'network: {config: disabled}' >"$root/etc/cloud/cloud.cfg.d/90-boma-rehearsal.cfg"
  rm -f "$root/etc/resolv.conf"
  cp "$resolv" "$root/etc/resolv.conf"
  install -D -m 0644 "$STATE/ca/ca.pem" "$root/usr/local/share/ca-certificates/boma-rehearsal-lab.crt"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  printf '%s\n' 'Acquire::http::Proxy "http://127.0.0.1:3142/";' 'Acquire::http::Proxy::pkgs.netbird.io "DIRECT";' \
    'Acquire::https::Proxy::pkgs.netbird.io "DIRECT";' >"$root/etc/apt/apt.conf.d/00boma-rehearsal-proxy"
  mkdir -p "$root/etc/systemd/system/docker.service.d"
  printf '[Service]\nEnvironment=DOCKER_ALLOW_IPV6_ON_IPV4_INTERFACE=1\n' >"$root/etc/systemd/system/docker.service.d/boma-rehearsal.conf"
}

# One archive cache per VM: apt locks /var/cache/apt/archives, and VMs sharing one would wait on each other (run 1).
vm_boot() { nspawn_boot "vm-$1" "$STATE/vm-$1" "brl-vm-$1" "$1" "$CACHE/apt-archives-vm-$1" "$NS_ADMIN" "$2"; }

verb="${1:-}"
case "$verb" in
  preflight) preflight ;;
  image) image ;;
  __chroot_apt) shift; chroot_apt "$@" ;;
  up)
    STATE="${2:?usage: lab.sh up STATE DOMAIN USER_DATA}"
    mkdir -p "$STATE/pids" "$STATE/logs"
    network_up
    services_up "${3:?domain}"
    askari_root "${4:?user-data file}" "$3"
    ;;
  boot) STATE="${2:?}"; boot ;;
  stop) STATE="${2:?}"; nspawn_wait askari ;;
  down) STATE="${2:?}"; down ;;
  lan-up) STATE="${2:?}"; mkdir -p "$STATE/pids" "$STATE/logs"; lan_up "${3:?gateway/prefix}" "${4:?admin gateway/prefix}" "${5:?admin host}" "${6:?lan client}" ;;
  vm-up) STATE="${2:?}"; vm_up "${3:?name}" "${4:?address/prefix}" "${5:?gateway}" "${6:?seed dir}" "${7:?resolv.conf}" ;;
  vm-boot) STATE="${2:?}"; vm_boot "${3:?name}" "${4:?address}" ;;
  vm-stop) STATE="${2:?}"; nspawn_wait "vm-${3:?name}" ;;
  *) echo "usage: lab.sh preflight|image|up STATE DOMAIN USER_DATA|boot STATE|stop STATE|down STATE|lan-up STATE GW/P ADMIN_GW/P ADMIN CLIENT|vm-up STATE NAME ADDR/P GW SEED RESOLV|vm-boot STATE NAME ADDR|vm-stop STATE NAME" >&2; exit 64 ;;
esac
