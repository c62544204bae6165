#!/usr/bin/env bash
# Runs Debian's lynis on the machine it is piped to (as root: `sudo -n bash -s`), for the rehearsals' Lynis
# measurement (rehearsal/LynisAudit.cs, docs/lynis.md). Installs lynis with apt (in the lab: through its relay to
# Debian's mirror), audits, prints the report's lines that the measurement reads, then purges lynis again (its
# dependency e2fsprogs stays, see below) and its own files, so the machine is left as it was found (the deploy after a "plain" audit starts from
# the image cloud-init left; the checks after a "boma" audit see the deployed host).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
umask 022

work="$(mktemp -d /var/tmp/boma-lynis.XXXXXX)"
trap 'rm -rf "$work"' EXIT

dpkg-query -W -f='${Package}\n' | LC_ALL=C sort >"$work/before"
if ! command -v lynis >/dev/null; then
  apt-get update -qq >/dev/null
  # No recommends: lynis recommends `menu` only; e2fsprogs (lsattr) is its one dependency.
  apt-get install -y -qq --no-install-recommends lynis >"$work/apt.log" 2>&1 || { tail -n 5 "$work/apt.log" >&2; exit 1; }
fi
dpkg-query -W -f='${Package}\n' | LC_ALL=C sort >"$work/after"
mapfile -t added < <(LC_ALL=C comm -13 "$work/before" "$work/after")

# --quick: no pauses; the log and the report go to the work directory, not /var/log.
lynis audit system --quick --no-colors --logfile "$work/lynis.log" --report-file "$work/report.dat" >"$work/stdout" 2>&1 \
  || { tail -n 5 "$work/stdout" >&2; exit 1; }
grep -E '^(lynis_version|hardening_index|tests_executed|warning\[\]|suggestion\[\])=' "$work/report.dat" || true
# The points behind the index, per test ("ID|got|max"): where the missing points are (docs/lynis.md).
if [[ -f "$work/lynis.log" ]]; then
  awk '/Performing test ID / { id = $6 }
    /Hardening: assigned maximum/ { m = $0; sub(/.*items? \(/, "", m); sub(/\).*/, "", m); print "boma_lynis_points=" id "|" m "|" m }
    /Hardening: assigned partial/ { p = $0; sub(/.*hardening points \(/, "", p); sub(/\).*/, "", p); split(p, a, " of "); print "boma_lynis_points=" id "|" a[1] "|" a[2] }' "$work/lynis.log"
fi

# Only lynis itself goes again: its dependency e2fsprogs is Protected in Debian 13 (apt refuses to remove it), and a
# real cloud image has it anyway (its root filesystem is ext4); the libraries it brought stay with it.
lynis_added=0
for pkg in "${added[@]}"; do [[ "$pkg" == lynis ]] && lynis_added=1; done
if [[ "$lynis_added" -eq 1 ]]; then
  apt-get purge -y -qq lynis >"$work/purge.log" 2>&1 || echo "boma_lynis_purge=failed: $(tail -n 1 "$work/purge.log")"
fi
echo "boma_lynis_added=${added[*]}"
