#!/usr/bin/env bash
# Set the account's peer DNS domain (peers become <name>.<domain> on the mesh).
#
# Usage: account.sh DNS_DOMAIN      Prints the domain in effect. Idempotent (no PUT when it already matches).
# shellcheck source=nb-lib.sh
. "$(dirname "$0")/nb-lib.sh"
nb_need curl jq

export DNS_DOMAIN="${1:?usage: account.sh DNS_DOMAIN}"
case "$DNS_DOMAIN" in
  *[!a-z0-9.-]* | .* | *. | *..*) nb_die "DNS_DOMAIN $DNS_DOMAIN is not a lower-case domain name" ;;
esac

account="$(nb_call GET /api/accounts | jq -c '.[0]')"
[ "$account" != null ] || nb_die "no account on the server; run setup.sh first"
if [ "$(jq -r '.settings.dns_domain // ""' <<<"$account")" != "$DNS_DOMAIN" ]; then
  jq -c '{settings: (.settings + {dns_domain: env.DNS_DOMAIN})}' <<<"$account" |
    nb_call PUT "/api/accounts/$(jq -r '.id' <<<"$account")" --body >/dev/null
  nb_log "peer DNS domain set to $DNS_DOMAIN"
fi
printf '%s\n' "$DNS_DOMAIN"
