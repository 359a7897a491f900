#!/bin/sh
# Runs at the same time share the ClickHouse cluster of tests/with_ch.sh: two overlapping
# users on a cluster of their own (ports 58323-58324, 59323-59324, folder in $TMP, so that the
# cluster of `make test` is not touched); the first leaves and the cluster still answers; a
# stale registration (a process that is gone) is ignored; the second leaves and the cluster is
# stopped and deleted. Skipped when ClickHouse is not installed or CVKIT_CH=skip.
. tests/cli/lib.sh
if [ "${CVKIT_CH:-}" = skip ] || ! command -v clickhouse-server >/dev/null 2>&1; then
    echo "# 0 passed, 0 failed (clickhouse refcount tests skipped: no clickhouse-server or CVKIT_CH=skip)"
    exit 0
fi
PORT=58323
DIR=$TMP/ch
export CVKIT_CH_PORT=$PORT CVKIT_CH_DIR=$DIR
unset CVKIT_CH_URL CVKIT_CH
# whatever happens, this test's cluster does not outlive it
trap 'touch "$TMP/a.go" "$TMP/b.go"; sh tests/ch/stop.sh; rm -rf "$TMP"' EXIT
# up P: whether the server with HTTP port P answers
up() { [ "$(curl -s "http://127.0.0.1:$1/?query=SELECT%201" 2>/dev/null)" = 1 ]; }
# user NAME: a run of tests/with_ch.sh that writes its URL into $TMP/NAME.up, then waits for
# $TMP/NAME.go
user() {
    sh tests/with_ch.sh sh -c 'echo "$CVKIT_CH_URL" > "$0.up.tmp" && mv "$0.up.tmp" "$0.up"
        until [ -e "$0.go" ]; do sleep 0.05; done' "$TMP/$1" >"$TMP/$1.log" 2>&1 &
}

user a
apid=$!
user b
bpid=$!
wait_for 120 '[ -e "$TMP/a.up" ] && [ -e "$TMP/b.up" ]'
check "two users get the cluster's url" \
    '[ "$(cat "$TMP/a.up")" = "clickhouse://cvkit:cvkit@127.0.0.1:$PORT/cvkit" ] &&
     [ "$(cat "$TMP/b.up")" = "$(cat "$TMP/a.up")" ]'
check "both are registered" '[ -e "$DIR.users/$apid" ] && [ -e "$DIR.users/$bpid" ]'
check "both shards answer" 'up $PORT && up $((PORT + 1))'

touch "$TMP/a.go"
wait_for 60 '! kill -0 $apid 2>/dev/null'
wait $apid
arc=$?
check "the first user leaves with status 0 and is unregistered" \
    '[ $arc -eq 0 ] && [ ! -e "$DIR.users/$apid" ]'
check "the cluster still answers for the second" \
    'up $PORT && up $((PORT + 1)) && [ -d "$DIR" ] &&
     [ "$(curl -s "http://127.0.0.1:$PORT/?user=cvkit&password=cvkit&query=SELECT%20count()%20FROM%20cvkit.cdnow")" = 6919 ]'

# a crashed run: its registration stays behind, its process is gone
sh -c 'exit 0' &
dead=$!
wait $dead
: >"$DIR.users/$dead"
touch "$TMP/b.go"
wait_for 60 '! kill -0 $bpid 2>/dev/null'
wait $bpid
brc=$?
check "the last user leaves with status 0" '[ $brc -eq 0 ]'
check "the cluster is stopped despite the stale registration" \
    '! up $PORT && ! up $((PORT + 1))'
check "its folder and the registrations are deleted" '[ ! -e "$DIR" ] && [ ! -e "$DIR.users" ]'
finish
