#!/bin/sh
# Installs the Debian packages cvkit builds with, or prints the command when not root.
PKGS="build-essential pkg-config liblua5.4-dev lua5.4 libcsv-dev libcmocka-dev libreadline-dev libxlsxwriter-dev zlib1g-dev libsqlite3-dev libpq-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "deps: all installed ($PKGS)"
    exit 0
fi
if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
else
    echo "deps: missing:$missing"
    echo "run:  sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
fi
