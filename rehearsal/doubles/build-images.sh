#!/usr/bin/env bash
# Rehearsal only: build the images the compose files pin, as `docker import` tarballs, and the pkgs.netbird.io
# apt repository holding the netbird client double. No registry is reachable from the lab (rehearsal/doubles/README.md).
#
# Usage (as root): build-images.sh ROOTFS OUTDIR
#   ROOTFS  a pristine Debian 13 (trixie) minbase root filesystem (debootstrap --variant=minbase trixie ROOTFS); read only
#   OUTDIR  gets *.tar, images.tsv (TARBALL<TAB>REF<TAB>--change...) and netbird-repo/ (served as https://pkgs.netbird.io/)
# Image refs are read from the files that pin them (config/NetbirdConfig.cs, config/CaddyConfig.cs).
# Needs: dotnet (SDK), apt-get, dpkg-deb, apt-ftparchive (apt-utils), gpg, tar; the Debian mirror for the caddy package.
set -euo pipefail
umask 022

die() {
  printf 'build-images.sh: %s\n' "$*" >&2
  exit 1
}
log() { printf 'build-images.sh: %s\n' "$*" >&2; }

[ $# -eq 2 ] || die "usage: build-images.sh ROOTFS OUTDIR"
rootfs="$(realpath "$1")"
out="$2"
[ "$(id -u)" -eq 0 ] || die "run as root (the image trees keep root-owned files)"
[ -x "$rootfs/usr/bin/apt-get" ] || die "$rootfs is not a Debian root filesystem (no usr/bin/apt-get); make one with: debootstrap --variant=minbase trixie DIR"
case "$(cat "$rootfs/etc/debian_version" 2>/dev/null)" in
  13.* | trixie*) ;;
  *) die "$rootfs is not Debian 13 trixie (etc/debian_version: $(cat "$rootfs/etc/debian_version" 2>/dev/null || echo missing))" ;;
esac
for tool in dotnet apt-get dpkg-deb apt-ftparchive gpg tar; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (apt-get install -y apt-utils gnupg dpkg tar; dotnet from the .NET SDK)"
done

repo="$(cd "$(dirname "$0")/../.." && pwd)"
netbird_config="$repo/config/NetbirdConfig.cs"
caddy_config="$repo/config/CaddyConfig.cs"

# pin FILE PATTERN: the one image reference in FILE that matches PATTERN (an ERE for the whole ref).
pin() {
  local refs
  refs="$(grep -oE "$2" "$1" | sort -u)"
  if [ -z "$refs" ] || [ "$(wc -l <<<"$refs")" -ne 1 ]; then
    die "expected exactly one image matching $2 in $1, found: ${refs:-none}"
  fi
  printf '%s\n' "$refs"
}
# NetbirdConfig.Version is the one NetBird version (server image and every client); the images are built from it.
version="$(pin "$netbird_config" 'const string Version = "[0-9][0-9A-Za-z.+-]*"' | sed -E 's/.*"([^"]+)"/\1/')"
grep -qE 'ServerImage = "netbirdio/netbird-server:" \+ Version;' "$netbird_config" ||
  die "NetbirdConfig.ServerImage is no longer \"netbirdio/netbird-server:\" + Version; teach build-images.sh the new form"
server_ref="netbirdio/netbird-server:$version"
dashboard_ref="$(pin "$netbird_config" 'DashboardImage = "netbirdio/dashboard:v?[0-9][0-9A-Za-z.+-]*"' | sed -E 's/.*"([^"]+)"/\1/')"
caddy_ref="$(pin "$caddy_config" 'StockImage = "caddy:[0-9][0-9A-Za-z.+-]*"' | sed -E 's/.*"(caddy:[^"]+)"/\1/')"
client_version="$version" # one version for the server and every client (NetbirdConfig.Version)
log "images: $server_ref, $dashboard_ref, $caddy_ref; netbird client package $client_version"

mkdir -p "$out"
out="$(realpath "$out")"
work="$(mktemp -d /var/tmp/boma-build-images.XXXXXX)"
trap 'rm -rf --one-file-system "$work"' EXIT

# image_tree NAME: a copy of the pristine rootfs without docs, manuals, locales and apt's caches.
image_tree() {
  local tree="$work/$1"
  mkdir -p "$tree"
  tar -C "$rootfs" --numeric-owner \
    --exclude=./usr/share/doc --exclude=./usr/share/man --exclude=./usr/share/locale \
    --exclude='./var/cache/apt/*' --exclude='./var/lib/apt/lists/*' --exclude=./proc --exclude=./sys --exclude=./dev \
    -cf - . | tar -C "$tree" --numeric-owner -xf -
  mkdir -p "$tree/proc" "$tree/sys" "$tree/dev"
  printf '%s\n' "$tree"
}

pack() {
  local tree="$1" tarball="$2"
  tar -C "$tree" --numeric-owner -cf "$out/$tarball" .
  log "wrote $out/$tarball ($(du -h "$out/$tarball" | cut -f1))"
}

# --- the NetBird double (server and dashboard share one tree; the dashboard's CMD picks the static pages) ---
log "dotnet publish the NetBird server double"
dotnet publish "$repo/rehearsal/doubles/NetbirdServerDouble/NetbirdServerDouble.csproj" -c Release -o "$work/publish" \
  --nologo -v quiet -p:UseAppHost=false >&2
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
nb_tree="$(image_tree netbird)"
mkdir -p "$nb_tree/usr/lib/dotnet/shared" "$nb_tree/opt/netbird-double" "$nb_tree/etc/netbird" "$nb_tree/var/lib/netbird"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$nb_tree/usr/lib/dotnet/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$nb_tree/usr/lib/dotnet/shared/"
cp -a "$work/publish/." "$nb_tree/opt/netbird-double/"
pack "$nb_tree" netbird-double.tar
entry='ENTRYPOINT ["/usr/lib/dotnet/dotnet", "/opt/netbird-double/netbird-server-double.dll"]'

# --- Caddy: Debian trixie's caddy package in the trixie tree, laid out and started as the official image does ---
log "apt-get download caddy (trixie)"
apt_dir="$work/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$work/debs"
printf 'deb [signed-by=%s] http://deb.debian.org/debian trixie main\n' "$rootfs/usr/share/keyrings/debian-archive-keyring.gpg" >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Dir::State::status=$rootfs/var/lib/dpkg/status"
  -o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" -qq update >&2
(cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download caddy >&2)
caddy_deb="$(find "$work/debs" -name 'caddy_*.deb' -print -quit)"
[ -n "$caddy_deb" ] || die "apt-get download caddy gave no .deb"
caddy_tree="$(image_tree caddy)"
dpkg-deb -x "$caddy_deb" "$caddy_tree"
mkdir -p "$caddy_tree/config/caddy" "$caddy_tree/data/caddy" "$caddy_tree/etc/caddy" "$caddy_tree/usr/share/caddy" "$caddy_tree/srv"
[ -x "$caddy_tree/usr/bin/caddy" ] || die "$caddy_deb has no usr/bin/caddy"
pack "$caddy_tree" caddy.tar
log "caddy: $(dpkg-deb -f "$caddy_deb" Package Version | tr '\n' ' ')"

{
  printf '# TARBALL\tREF\t--change... (rehearsal/doubles/build-images.sh; docker import each row)\n'
  printf 'netbird-double.tar\t%s\t%s\t%s\tWORKDIR /\n' "$server_ref" "$entry" 'CMD ["--config", "/etc/netbird/config.yaml"]'
  printf 'netbird-double.tar\t%s\t%s\t%s\tEXPOSE 80\tWORKDIR /\n' "$dashboard_ref" "$entry" 'CMD ["--dashboard", "--port", "80"]'
  printf 'caddy.tar\t%s\t%s\t%s\t%s\t%s\t%s\n' "$caddy_ref" 'ENV XDG_CONFIG_HOME=/config' 'ENV XDG_DATA_HOME=/data' \
    'EXPOSE 80 443 443/udp 2019' 'WORKDIR /srv' 'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]'
} >"$out/images.tsv"

# --- pkgs.netbird.io: a signed apt repository with the client double as package netbird ---
log "netbird client package $client_version and the signed repository"
pkg="$work/netbird-pkg"
install -D -m 0755 "$repo/rehearsal/doubles/netbird-client/netbird" "$pkg/usr/bin/netbird"
mkdir -p "$pkg/DEBIAN"
cat >"$pkg/DEBIAN/control" <<EOF
Package: netbird
Version: $client_version
Architecture: amd64
Maintainer: boma rehearsal <rehearsal@boma.invalid>
Depends: curl, iproute2
Section: net
Priority: optional
Description: NetBird client (boma rehearsal double)
 A contract double of the NetBird client CLI for boma's offsite rehearsal. Not NetBird.
EOF
site="$out/netbird-repo"
rm -rf "$site"
mkdir -p "$site/debian/pool/main/n/netbird" "$site/debian/dists/stable/main/binary-amd64"
dpkg-deb --root-owner-group --build "$pkg" "$site/debian/pool/main/n/netbird/netbird_${client_version}_amd64.deb" >/dev/null
(cd "$site/debian" && apt-ftparchive packages pool >dists/stable/main/binary-amd64/Packages)
gzip -9nk "$site/debian/dists/stable/main/binary-amd64/Packages"
(cd "$site/debian/dists/stable" && apt-ftparchive \
  -o APT::FTPArchive::Release::Origin=netbird -o APT::FTPArchive::Release::Label=netbird \
  -o APT::FTPArchive::Release::Suite=stable -o APT::FTPArchive::Release::Codename=stable \
  -o APT::FTPArchive::Release::Architectures=amd64 -o APT::FTPArchive::Release::Components=main \
  release . >"$work/Release" && mv "$work/Release" Release)

# A throw-away signing key, made here and gone with $work: only its public half leaves (debian/public.key).
export GNUPGHOME="$work/gnupg"
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
  --quick-gen-key 'boma rehearsal netbird repository (throw-away) <rehearsal@boma.invalid>' ed25519 sign 7d
gpg --batch --quiet --armor --export >"$site/debian/public.key"
gpg --batch --quiet --yes --clearsign -o "$site/debian/dists/stable/InRelease" "$site/debian/dists/stable/Release"
gpg --batch --quiet --yes --armor --detach-sign -o "$site/debian/dists/stable/Release.gpg" "$site/debian/dists/stable/Release"
log "done: $out/images.tsv, $out/netbird-repo"
