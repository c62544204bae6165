#!/usr/bin/env bash
# Fill the secrets into NetBird's config.yaml on askari.
#
# Usage: render-config.sh TEMPLATE OUTPUT < secrets
#   stdin: NB_AUTH_SECRET=..., NB_STORE_ENCRYPTION_KEY=..., NB_SESSION_COOKIE_KEY=... (one per line)
# Writes OUTPUT with mode 0600 (atomically) and prints only its SHA-256, which the deploy uses as a trigger.
# The secrets are never on a command line and never printed.
set -euo pipefail
umask 077

template="${1:?usage: render-config.sh TEMPLATE OUTPUT < secrets}"
output="${2:?usage: render-config.sh TEMPLATE OUTPUT < secrets}"
[ -r "$template" ] || { echo "render-config.sh: cannot read $template" >&2; exit 1; }

declare -A secret=()
# Split at the first '=' only: base64 values end in '=' padding, which `IFS== read` would strip.
while IFS= read -r line; do
  [ -n "$line" ] || continue
  name="${line%%=*}"
  value="${line#*=}"
  case "$name" in
    NB_AUTH_SECRET | NB_STORE_ENCRYPTION_KEY | NB_SESSION_COOKIE_KEY) secret[$name]="$value" ;;
    *) echo "render-config.sh: unexpected stdin line for '$name'" >&2; exit 1 ;;
  esac
done

text="$(cat "$template")"
for name in NB_AUTH_SECRET NB_STORE_ENCRYPTION_KEY NB_SESSION_COOKIE_KEY; do
  value="${secret[$name]:-}"
  [ -n "$value" ] || { echo "render-config.sh: $name missing on stdin" >&2; exit 1; }
  case "$value" in
    *[!A-Za-z0-9+/=_-]*) echo "render-config.sh: $name has characters outside base64/alphanumerics" >&2; exit 1 ;;
  esac
  [[ "$text" == *"@@${name}@@"* ]] || { echo "render-config.sh: the template has no @@${name}@@ marker" >&2; exit 1; }
  text="${text//@@${name}@@/$value}"
done
if [[ "$text" == *"@@NB_"* ]]; then
  echo "render-config.sh: the template has an unknown @@NB_...@@ marker" >&2
  exit 1
fi

# The install directory (and any parent made here) must stay traversable: the deploy's `cd` into it runs as the admin
# user. Only the file is private (0600 below); umask 077 would make every new directory 0700.
(umask 022 && mkdir -p "$(dirname "$output")")
printf '%s\n' "$text" >"$output.new"
chmod 0600 "$output.new"
mv "$output.new" "$output"
sha256sum "$output" | cut -d' ' -f1
