# Helpers for the end-to-end tests of cvkit (sourced by tests/cli/test_*.sh).
#   run CMD...          runs CMD, keeping stdout in $OUT, stderr in $ERR, the status in $rc
#   check NAME EXPR     counts a pass when the shell expression EXPR holds, else prints
#                       the failure with the last command's output
#   out_has TEXT / err_has TEXT / out_is TEXT / err_line1_is TEXT   fixed-string checks
#   wait_for S EXPR     waits until the shell expression EXPR holds (output appeared, a
#                       file exists, a pid is gone), looking every 0.05 s, at most S
#                       seconds: 0, or 1 when it never held (tests wait for what they
#                       need, never a fixed time)
#   finish              prints "# N passed, M failed" and exits non-zero on a failure
# $CVKIT is the program under test (tests/run.sh sets it); $TMP a scratch folder.
CVKIT=${CVKIT:-$PWD/build/cvkit}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cvkit-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/stdout
ERR=$TMP/stderr
passed=0
failed=0
rc=0

run() {
    "$@" >"$OUT" 2>"$ERR"
    rc=$?
}

check() {
    name=$1
    shift
    if eval "$*"; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        echo "FAIL  $name: $*"
        echo "      exit status: $rc"
        sed 's/^/      stdout: /' "$OUT"
        sed 's/^/      stderr: /' "$ERR"
    fi
}

out_has() { grep -qF -- "$1" "$OUT"; }
err_has() { grep -qF -- "$1" "$ERR"; }
out_is() { [ "$(cat "$OUT")" = "$1" ]; }
err_line1_is() { [ "$(head -n 1 "$ERR")" = "$1" ]; }

# script NAME TEXT: writes a Lua script into $TMP/NAME
script() {
    printf '%s\n' "$2" >"$TMP/$1"
}

wait_for() {
    _limit=$(($1 * 20))
    shift
    _n=0
    while ! eval "$*"; do
        [ $_n -ge $_limit ] && return 1
        sleep 0.05
        _n=$((_n + 1))
    done
    return 0
}

finish() {
    echo "# $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
