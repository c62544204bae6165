# Managed by boma (hosts/bootstrap/baseline.sh): an idle interactive shell ends after 15 minutes (CIS 5.4.3.2). The
# admin's sudo needs no password, so a forgotten open shell is a root shell. Read-only, so a session cannot unset it;
# set once per shell (sourcing /etc/profile again must not fail on the read-only variable).
if ! readonly -p | grep -q ' TMOUT'; then
  readonly TMOUT=900
  export TMOUT
fi
