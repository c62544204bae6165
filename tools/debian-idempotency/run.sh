#!/usr/bin/env bash
# Runs every host bootstrap script twice on a real Debian 13 (trixie) root filesystem and checks that the
# second run changes nothing. See docs/idempotency.md. Needs root, debootstrap, socat, unshare, dotnet.
#
#   sudo tools/debian-idempotency/run.sh
#
# Environment:
#   BOMA_TRIXIE_ROOT       where the root filesystem goes (default /tmp/trixie; wiped first)
#   BOMA_TRIXIE_MIRROR     Debian mirror (default http://deb.debian.org/debian)
#   BOMA_DEBOOTSTRAP_CACHE optional dir holding a pristine debootstrap (made there on first use, copied after)
#   BOMA_KEEP_ROOTFS=1     keep the root filesystem afterwards for inspection
#   BOMA_NEGATIVE_CONTROL=1 add a script that rewrites a file every run: the check must then fail (exit 1)
#
# Safety: every command inside the root filesystem runs in a private mount and network namespace
# (unshare -mn), so mounts vanish with the namespace and nft only ever sees a throw-away network stack.
# apt reaches the mirror through a UNIX socket relayed by socat; this machine's /etc and firewall are untouched.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SCRIPTS=(base baseline sshd fail2ban nftables journald apparmor docker updates auditd hosts-pin aide)
# Sample values for hosts-pin (plan cannot render it: askari's address is known only after apply).
PIN_ADDRESS=203.0.113.10
PIN_FQDN=netbird.askari.example.org
IMAGE_PACKAGES="systemd systemd-sysv openssh-server cloud-init"

die() { printf 'error: %s\n' "$*" >&2; exit 2; }

# Renders a bootstrap template the way hosts/HostTemplates.cs does: inline every "{{ file:... }}" line (lib.sh, the
# files a script installs), drop "# @param" lines, substitute the given name=value pairs. Checked against the
# renderer's own output below.
render_by_hand() {
  local template="$1"
  shift
  awk -v hosts="$REPO/hosts" '
    /^# @param / { next }
    /^\{\{ file:[^ ]+ \}\}$/ {
      path = $2; sub(/^file:/, "", path)
      body = ""; while ((getline l < (hosts "/" path)) > 0) if (l !~ /^# @param /) body = body l "\n"
      close(hosts "/" path)
      sub(/\n$/, "", body); print body; next
    }
    { print }
  ' "$REPO/hosts/$template" >"$WORK/hand.tmp"
  local pair name value
  for pair in "$@"; do
    name="${pair%%=*}"
    value="${pair#*=}"
    sed -i "s|{{ *$name *}}|$value|g" "$WORK/hand.tmp"
  done
  if grep -q '{{' "$WORK/hand.tmp"; then die "unrendered placeholder left in $template"; fi
  cat "$WORK/hand.tmp"
}

# ---------------------------------------------------------------------------------------------------
# Inner phase: runs as "unshare -mn run.sh --inner ROOTFS WORK" (private mounts, empty network).
# ---------------------------------------------------------------------------------------------------
in_root() {
  chroot "$ROOTFS" /usr/bin/env -i \
    PATH=/usr/local/lib/boma-test/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

# Digest of what a bootstrap script can change: path, mode, owner and content of everything under
# /etc, /var/lib (dpkg status, the systemctl shim's unit state), /root, /usr/local, /opt, plus the
# loaded nftables ruleset. The listing is kept so a difference can be shown.
snapshot() {
  local out="$1"
  (
    cd "$ROOTFS"
    find etc var/lib root usr/local opt -xdev -printf '%y %p %m %U:%G %l\n' | sort
    echo "--- sha256"
    find etc var/lib root usr/local opt -xdev -type f -print0 | sort -z | xargs -0 sha256sum
    echo "--- nft list ruleset"
    in_root nft list ruleset 2>&1 || echo "(nft not installed)"
  ) >"$out"
  sha256sum <"$out" | cut -c1-16
}

inner() {
  ROOTFS="$1"
  WORK="$2"
  mount --make-rprivate /
  ip link set lo up
  mount -t proc proc "$ROOTFS/proc"
  mount -t sysfs sysfs "$ROOTFS/sys"
  mount --bind /dev "$ROOTFS/dev"
  # systemd would create /run (tmpfs) and /run/sshd (ssh.service RuntimeDirectory) on a booted host.
  mount -t tmpfs -o mode=0755 tmpfs "$ROOTFS/run"
  mkdir -p "$ROOTFS/run/sshd" "$ROOTFS/run/boma-test" "$ROOTFS/run/lock"
  # apt's only way out of the empty network namespace: 127.0.0.1:3142 -> UNIX socket -> mirror (relay outside).
  socat TCP-LISTEN:3142,bind=127.0.0.1,fork,reuseaddr "UNIX-CONNECT:$WORK/mirror.sock" &
  INNER_RELAY=$!
  trap 'kill "$INNER_RELAY" 2>/dev/null || true; wait "$INNER_RELAY" 2>/dev/null || true' EXIT
  sleep 0.5

  # Make the minbase tree look like a fresh Debian 13 cloud image: systemd, sshd and cloud-init installed.
  echo "== image: apt-get install $IMAGE_PACKAGES"
  in_root apt-get update -qq
  # shellcheck disable=SC2086 # a list of package names
  in_root apt-get install -y -qq $IMAGE_PACKAGES >"$WORK/image-install.log" 2>&1 \
    || { tail -30 "$WORK/image-install.log"; die "installing the image packages failed"; }
  mkdir -p "$ROOTFS/var/lib/boma-test"
  # sshd runs on every real host (the scripts arrive through it).
  printf 'ssh.service\n' >"$ROOTFS/var/lib/boma-test/active-units"

  local name run summary1 summary2 before after changes calls
  # A chroot shares this machine's kernel: sysctl, auditctl, augenrules and apparmor_parser never reach it.
  mkdir -p "$ROOTFS/var/lib/boma-test/sysctl"

  : >"$WORK/results.tsv"
  for name in "${SCRIPTS[@]}"; do
    for run in 1 2; do
      echo "== $name.sh run $run"
      if [[ "$run" -eq 2 ]]; then
        before="$(snapshot "$WORK/$name.before")"
        : >"$ROOTFS/run/boma-test/systemctl.log"
      fi
      if ! in_root bash -s <"$WORK/rendered/$name.sh" >"$WORK/$name.run$run.log" 2>&1; then
        cat "$WORK/$name.run$run.log"
        die "$name.sh run $run failed"
      fi
      grep -E '^(changed|unchanged|restored|summary):' "$WORK/$name.run$run.log" | sed 's/^/   /'
    done
    after="$(snapshot "$WORK/$name.after")"
    summary1="$(tail -n1 "$WORK/$name.run1.log")"
    summary2="$(tail -n1 "$WORK/$name.run2.log")"
    changes="$(grep -c '^changed:' "$WORK/$name.run2.log" || true)"
    calls="$(grep -cE '^(start|restart|reload|stop|enable|disable|daemon-reload|try-restart|reload-or-restart)( |$)|^sysctl -w|^augenrules .*--load|^apparmor_parser .*--replace|^docker network create' \
      "$ROOTFS/run/boma-test/systemctl.log" || true)"
    if [[ "$before" != "$after" ]]; then diff "$WORK/$name.before" "$WORK/$name.after" | head -20 || true; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${summary1#summary: }" "${summary2#summary: }" \
      "$changes" "$calls" "$before" "$after" >>"$WORK/results.tsv"
  done

  # Third pass: all scripts once more in deployment order, so a later script undoing an earlier one shows.
  echo "== all scripts again, in order"
  before="$(snapshot "$WORK/all.before")"
  : >"$ROOTFS/run/boma-test/systemctl.log"
  changes=0
  for name in "${SCRIPTS[@]}"; do
    in_root bash -s <"$WORK/rendered/$name.sh" >"$WORK/$name.run3.log" 2>&1 || { cat "$WORK/$name.run3.log"; die "$name.sh run 3 failed"; }
    changes=$((changes + $(grep -c '^changed:' "$WORK/$name.run3.log" || true)))
    printf '   %s.sh: %s\n' "$name" "$(tail -n1 "$WORK/$name.run3.log")"
  done
  after="$(snapshot "$WORK/all.after")"
  calls="$(grep -cE '^(start|restart|reload|stop|enable|disable|daemon-reload|try-restart|reload-or-restart)( |$)|^sysctl -w|^augenrules .*--load|^apparmor_parser .*--replace|^docker network create' \
    "$ROOTFS/run/boma-test/systemctl.log" || true)"
  if [[ "$before" != "$after" ]]; then diff "$WORK/all.before" "$WORK/all.after" | head -20 || true; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "all, again" "-" "$changes changed" "$changes" "$calls" "$before" "$after" \
    >>"$WORK/results.tsv"

  # Versions of the trixie packages the scripts installed or validated with.
  # shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
  in_root dpkg-query -W -f='${Package}\t${Version}\n' \
    openssh-server fail2ban nftables docker.io docker-compose unattended-upgrades systemd cloud-init \
    auditd aide apparmor needrestart \
    >"$WORK/versions.tsv"
  grep -E '^(VERSION|PRETTY_NAME)=' "$ROOTFS/etc/os-release" >"$WORK/os-release"
}

if [[ "${1:-}" == "--inner" ]]; then
  ROOTFS_ARG="$2"
  WORK_ARG="$3"
  shift 3
  SCRIPTS=("$@")
  inner "$ROOTFS_ARG" "$WORK_ARG"
  exit 0
fi

# ---------------------------------------------------------------------------------------------------
# Outer phase (this machine's namespaces): root filesystem, rendering, relay, report.
# ---------------------------------------------------------------------------------------------------
[[ "$(id -u)" -eq 0 ]] || die "run as root (debootstrap, chroot and unshare need it)"
for t in debootstrap socat unshare chroot dotnet awk sha256sum; do
  command -v "$t" >/dev/null || die "$t is missing (apt-get install -y debootstrap socat; dotnet from global.json)"
done
ROOTFS="${BOMA_TRIXIE_ROOT:-/tmp/trixie}"
MIRROR="${BOMA_TRIXIE_MIRROR:-http://deb.debian.org/debian}"
MIRROR_HOST="$(sed -E 's|^http://([^/:]+).*|\1|' <<<"$MIRROR")"
[[ "$ROOTFS" == /* && "$ROOTFS" != / ]] || die "BOMA_TRIXIE_ROOT must be an absolute path other than /"
WORK="$(mktemp -d /tmp/boma-idempotency.XXXXXX)"
RELAY=""

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  if [[ -n "$RELAY" ]]; then kill "$RELAY" 2>/dev/null || true; wait "$RELAY" 2>/dev/null || true; fi
  # The mounts live in the inner namespace and die with it; unmount anyway should one have leaked.
  local m
  for m in run dev sys proc; do
    if mountpoint -q "$ROOTFS/$m" 2>/dev/null; then umount -l "$ROOTFS/$m" || true; fi
  done
  if [[ "${BOMA_KEEP_ROOTFS:-0}" != 1 && -d "$ROOTFS" ]]; then rm -rf --one-file-system "$ROOTFS"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== root filesystem: $ROOTFS"
rm -rf --one-file-system "$ROOTFS"
if [[ -n "${BOMA_DEBOOTSTRAP_CACHE:-}" ]]; then
  if [[ ! -x "$BOMA_DEBOOTSTRAP_CACHE/usr/bin/dpkg" ]]; then
    debootstrap --variant=minbase trixie "$BOMA_DEBOOTSTRAP_CACHE" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log"; die "debootstrap failed"; }
  fi
  cp -a "$BOMA_DEBOOTSTRAP_CACHE" "$ROOTFS"
else
  debootstrap --variant=minbase trixie "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; die "debootstrap failed"; }
fi

# A host's usual sources (main, updates, security), all fetched through the relay as an HTTP proxy.
cat >"$ROOTFS/etc/apt/sources.list" <<EOF
deb $MIRROR trixie main
deb $MIRROR trixie-updates main
deb ${MIRROR%/debian}/debian-security trixie-security main
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/00boma-test-proxy" <<'EOF'
Acquire::http::Proxy "http://127.0.0.1:3142/";
EOF
# No service may start inside the chroot (sysvinit scripts would really run dockerd, sshd, ...).
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"
install -D -m 0755 "$HERE/systemctl-shim" "$ROOTFS/usr/local/lib/boma-test/bin/systemctl"
install -D -m 0755 "$HERE/sysctl-shim" "$ROOTFS/usr/local/lib/boma-test/bin/sysctl"
install -D -m 0755 "$HERE/docker-shim" "$ROOTFS/usr/local/lib/boma-test/bin/docker"
for t in auditctl augenrules apparmor_parser; do
  install -D -m 0755 "$HERE/kernel-shim" "$ROOTFS/usr/local/lib/boma-test/bin/$t"
done

echo "== rendering: dotnet run -- plan offsite --out"
(cd "$REPO" && dotnet run -- plan offsite --out "$WORK/plan") >"$WORK/plan.log" 2>&1 \
  || { tail -20 "$WORK/plan.log"; die "dotnet run -- plan offsite failed"; }
mkdir -p "$WORK/rendered"
for name in "${SCRIPTS[@]}"; do
  [[ "$name" == hosts-pin ]] && continue
  cp "$WORK/plan/askari/bootstrap/$name.sh" "$WORK/rendered/$name.sh" || die "plan did not write $name.sh"
done
# hosts-pin by hand; first prove the hand renderer gives byte-identical output on a plan-rendered script.
render_by_hand bootstrap/docker.sh.tmpl "edge_network=boma-edge 172.30.0.0/24" >"$WORK/docker.hand.sh"
cmp -s "$WORK/docker.hand.sh" "$WORK/rendered/docker.sh" || die "hand rendering differs from the renderer's (docker.sh)"
if [[ "${BOMA_NEGATIVE_CONTROL:-0}" == 1 ]]; then
  # Proves the check can fail: a script that claims "0 changed" but rewrites a file every run.
  printf '#!/usr/bin/env bash\ndate +%%s%%N >/etc/boma-control\necho "summary: 0 changed"\n' >"$WORK/rendered/control.sh"
  SCRIPTS+=(control)
fi
render_by_hand bootstrap/hosts-pin.sh.tmpl "pin_address=$PIN_ADDRESS" "pin_fqdn=$PIN_FQDN" >"$WORK/rendered/hosts-pin.sh"

socat "UNIX-LISTEN:$WORK/mirror.sock,fork,mode=0600" "TCP:$MIRROR_HOST:80" &
RELAY=$!
sleep 0.5

unshare -mn --propagation private "$HERE/run.sh" --inner "$ROOTFS" "$WORK" "${SCRIPTS[@]}"

status=0
echo
echo "Debian: $(sed -n 's/^PRETTY_NAME=//p' "$WORK/os-release" | tr -d '"'), run $(date -u '+%Y-%m-%d %H:%M UTC')"
printf '| %-9s | %-9s | %-9s | %-14s | %-16s | %-16s | %-16s | %s |\n' script run1 run2 "run2 changed:" \
  "run2 svc calls" "tree before run2" "tree after run2" result
printf '|%s|\n' "-----------|-----------|-----------|----------------|------------------|------------------|------------------|-------"
while IFS=$'\t' read -r name s1 s2 changes calls before after; do
  result=ok
  if [[ "$s2" != "0 changed" || "$changes" != 0 || "$calls" != 0 || "$before" != "$after" ]]; then
    result=CHANGED
    status=1
  fi
  printf '| %-9s | %-9s | %-9s | %-14s | %-16s | %-16s | %-16s | %s |\n' \
    "$name" "$s1" "$s2" "$changes" "$calls" "$before" "$after" "$result"
done <"$WORK/results.tsv"
echo
echo "trixie packages:"
sed 's/^/  /' "$WORK/versions.tsv"
exit "$status"
