#!/usr/bin/env bash
# Runs on askari as root (the rehearsal sends it over SSH once Docker is installed): `docker import` every image the
# compose files pin, from the tarballs the lab put under /var/lib/boma-rehearsal/images. No registry is reachable,
# so this stands in for the pull `docker compose up` would do. images.tsv: TARBALL<TAB>REF[<TAB>--change line]...
set -euo pipefail
dir=/var/lib/boma-rehearsal/images
while IFS=$'\t' read -r -a fields; do
  [ "${#fields[@]}" -ge 2 ] || continue
  case "${fields[0]}" in '#'*) continue ;; esac
  tarball="${fields[0]}"
  ref="${fields[1]}"
  changes=()
  for change in "${fields[@]:2}"; do
    [ -n "$change" ] && changes+=(--change "$change")
  done
  if ! docker image inspect "$ref" >/dev/null 2>&1; then
    docker import "${changes[@]}" "$dir/$(basename "$tarball")" "$ref" >/dev/null
  fi
  printf '%s\n' "$ref"
done <"$dir/images.tsv"
