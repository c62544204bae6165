#!/usr/bin/env bash
# boma: (re)deploy one docker compose project from files staged by the deploy (components/ComposeStack.cs).
#
# Usage: compose-up.sh PROJECT INSTALL_DIR [--build] STAGED_FILE...
# Installs each staged file into INSTALL_DIR under its own name (0644), then `docker compose -p PROJECT up -d`,
# recreating the containers so a changed file always takes effect. The networks the project uses are
# created by the docker bootstrap step, never here: two stacks deploying at once cannot race to create them.
set -euo pipefail

die() { printf 'compose-up.sh: error: %s\n' "$*" >&2; exit 1; }

[ "$#" -ge 3 ] || die "usage: compose-up.sh PROJECT INSTALL_DIR [--build] STAGED_FILE..."
project="$1" dir="$2"
shift 2
build=()
if [ "$1" = --build ]; then
  build=(--build)
  shift
fi
[ "$#" -gt 0 ] || die "no files to install"
case "$project" in *[!a-z0-9_-]* | '') die "project '$project' must be lower-case letters, digits, - or _" ;; esac

install -d -m 0755 "$dir"
for file in "$@"; do
  [ -f "$file" ] || die "$file was not staged"
  install -m 0644 "$file" "$dir/${file##*/}"
done
cd "$dir"
docker compose -p "$project" up -d "${build[@]}" --force-recreate --remove-orphans </dev/null
