# Managed by boma (hosts/bootstrap/baseline.sh): login shells start without core dumps (CIS 1.5.3; limits.d sets the same).
ulimit -c 0
