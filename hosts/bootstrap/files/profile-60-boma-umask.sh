# Managed by boma (hosts/bootstrap/baseline.sh): new files of login shells are not readable by others (CIS 5.4.3.3).
umask 027
