#!/bin/sh
# The Debian 12 packages cvkit needs, in sets (the one list; .ci/run and the Makefile use it):
#   build  compile cvkit and its tests (make, make demo)
#   test   build + what `make test` runs: chromium and fonts-noto-cjk (report PDFs),
#          imagemagick, libxml2-utils, unzip (checking reports and XLSX), postgresql,
#          libmpfr-dev (the MPFR references of tests/unit/test_precision*.c only),
#          clickhouse-server, clickhouse-client and curl (tests/ch/start.sh's two-shard cluster)
#   ci     test + CI's extra checks: clang (fuzzers), clang-format, valgrind, cppcheck
# Usage: sh tools/deps.sh [build|test|ci]  (default build). Quiet and quick (dpkg-query)
# when everything is there; installs what is missing as root, else prints the one
# apt-get line and fails.
BUILD="build-essential pkg-config liblua5.4-dev lua5.4 libcsv-dev libcmocka-dev libreadline-dev libxlsxwriter-dev libzip-dev libexpat1-dev libfreexl-dev zlib1g-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev"
TEST="$BUILD libmpfr-dev chromium fonts-noto-cjk imagemagick libxml2-utils unzip postgresql clickhouse-server clickhouse-client curl"
CI="$TEST clang clang-format libclang-rt-14-dev valgrind cppcheck"
case "${1:-build}" in
build) PKGS=$BUILD ;;
test) PKGS=$TEST ;;
ci) PKGS=$CI ;;
*) echo "deps: unknown set '$1' (build, test or ci)" >&2; exit 2 ;;
esac
# CVKIT_PG=skip (make test CVKIT_PG=skip): the database tests are skipped, no server needed
[ "${CVKIT_PG:-}" = skip ] && PKGS=$(echo " $PKGS " | sed 's/ postgresql / /')
# CVKIT_CH=skip: likewise for the ClickHouse tests
[ "${CVKIT_CH:-}" = skip ] && PKGS=$(echo " $PKGS " | sed 's/ clickhouse-server clickhouse-client / /')
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "deps: missing:$missing" >&2
    echo "run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
