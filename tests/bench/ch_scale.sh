#!/bin/sh
# The case ch_scale of tests/bench/run.sh (docs/databases.md, "At scale"): CH_CUSTOMERS
# synthetic customers (default 1000000; 100000000 for the full run) generated inside a
# two-shard ClickHouse cluster of its own (tests/ch/start.sh on CH_SCALE_PORT, default
# 58523, through tests/with_ch.sh: shared with other runs, stopped by the last one; kept on
# disk between runs with CVKIT_CH_KEEP=1, then a second run reuses the data), then the
# whole job in the engine (cv.score_sql) against every customer's summary pulled into cvkit
# (tests/bench/ch_scale.lua). Prints a Markdown table: wall time, cvkit's CPU time and peak
# memory (max RSS), bytes received and sent, the fitted BG/NBD parameters and the total CLV
# (equal both ways). Runs at nice 19. Needs about 23 MB of disk per million customers for
# the data and up to a few GB of spill files at 100M (df is printed first).
#   sh tests/bench/ch_scale.sh          (BUILD=build; CH_SEED=1; CH_PULL=0: the engine path only)
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
N=${CH_CUSTOMERS:-1000000}
SEED=${CH_SEED:-1}
PORT=${CH_SCALE_PORT:-58523}
if [ -z "${CH_SCALE_INNER:-}" ]; then
    if ! command -v clickhouse-server >/dev/null 2>&1; then
        echo "ch_scale: skipped (clickhouse-server is not installed)" >&2
        exit 0
    fi
    df -h "${TMPDIR:-/tmp}" | sed 's/^/ch_scale: disk: /' >&2
    unset CVKIT_CH_URL CVKIT_CH
    # each query of the engine may use CH_MAX_MEMORY bytes (default 6e9), spilling its GROUP
    # BY to disk past CH_SPILL (default 2e9)
    CVKIT_CH_MAX_MEMORY=${CH_MAX_MEMORY:-6000000000} CVKIT_CH_SPILL=${CH_SPILL:-2000000000} \
        CH_SCALE_INNER=1 CVKIT_CH_PORT=$PORT exec nice -n 19 sh tests/with_ch.sh sh "$0"
fi
U1=$CVKIT_CH_URL
U2=$(echo "$U1" | sed "s/:$PORT\//:$((PORT + 1))\//")
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
CVKIT="$BUILD/cvkit"

# run MODE URL...: runs ch_scale.lua MODE under /usr/bin/time; sets LINE (its key=value
# line) and WALL, KB (wall seconds, max RSS)
run() {
    /usr/bin/time -f '%e %M' -o "$tmp.time" "$CVKIT" run tests/bench/ch_scale.lua "$@" >"$tmp" ||
        { echo "ch_scale: FAILED: $*" >&2; cat "$tmp" >&2; exit 1; }
    LINE=$(tail -n 1 "$tmp")
    WALL=$(cut -d' ' -f1 "$tmp.time" | tail -n 1)
    KB=$(tail -n 1 "$tmp.time" | cut -d' ' -f2)
    echo "ch_scale: $1: $LINE (wall $WALL s, max RSS $KB KB)" >&2
}
# get KEY: the value of KEY in LINE
get() { echo "$LINE" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

run gen "$U1" "$U2" "$N" "$SEED"
tx=$(get transactions)
gen_s=$WALL
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "ClickHouse at scale: $N customers, $tx transactions generated in the engine (two shards on one machine, seed $SEED, generation $gen_s s; load average $load):"
echo "| path | wall (s) | phases (s) | cvkit CPU (s) | cvkit peak memory (MiB) | bytes received | bytes sent | rows to cvkit | r, alpha, a, b | total CLV |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
row() { # row LABEL PHASES ROWS
    printf '| %s | %s | %s | %.1f | %.0f | %s | %s | %s | %.4g, %.4g, %.4g, %.4g | %.6g |\n' "$1" "$WALL" "$2" \
        "$(get cpu_s)" "$((KB / 1024))" "$(get received)" "$(get sent)" "$3" "$(get r)" "$(get alpha)" \
        "$(get a)" "$(get b)" "$(get clv)"
}
run engine "$U1"
row "in the engine: cv.score_sql (collapse, fit, scores written back) + the view over every customer" \
    "job $(get job_s), view $(get view_s)" "$(get rows) distinct"
# CH_PULL=0 skips the pulled path (it needs about 21 MB of cvkit memory per 100,000
# customers: about 21 GB at 100M)
if [ "${CH_PULL:-1}" = 0 ]; then
    echo "| pulled: skipped (CH_PULL=0) | | | | | | | | | |"
    exit 0
fi
run pull "$U1"
row "pulled: cv.summary_sql (every customer's row) + fits and scores in cvkit" \
    "pull $(get pull_s), fit+score $(get fit_s)" "$(get customers) customers"
