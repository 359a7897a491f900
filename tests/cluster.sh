# tests/cluster.sh: the registration tests/with_pg.sh and tests/with_ch.sh share (sourced by
# them, not run). Runs at the same time, in any clone, share one throwaway cluster: each
# registers in $USERS (a folder of files named by pid) under the lock $LOCK, the last one out
# stops it; a registration whose process is gone (a killed run) does not count. The caller
# sets USERS, LOCK and CLUSTER (pg or ch: tests/$CLUSTER/start.sh and tests/$CLUSTER/stop.sh)
# and runs from the repository root. tests/cli/test_ch_refcount.sh tests it.

# cluster_leave: unregisters this run; stops the cluster when no live run is registered any
# more; exits with the status the run had (the EXIT trap of cluster_traps).
cluster_leave() {
    st=$?
    trap - EXIT INT TERM HUP
    (
        flock 9
        rm -f "$USERS/$$"
        for f in "$USERS"/*; do
            [ -e "$f" ] || continue
            kill -0 "${f##*/}" 2>/dev/null && exit 0
            rm -f "$f"
        done
        rmdir "$USERS" 2>/dev/null
        # not the subshell's last command: dash would exec it, closing the lock's only fd
        sh "tests/$CLUSTER/stop.sh" 9>&-
        exit 0
    ) 9>"$LOCK"
    exit $st
}

# cluster_traps: cluster_leave at the end, also when the run fails or on Ctrl-C.
cluster_traps() {
    trap cluster_leave EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}

# cluster_start: registers this run (before the start, so that a failed or interrupted start is
# cleaned up too) and starts the cluster or reuses a running one; prints what start.sh prints
# (its URL) and returns its status.
cluster_start() {
    (
        flock 9
        mkdir -p "$USERS" && : >"$USERS/$$" || exit 1
        sh "tests/$CLUSTER/start.sh" 9>&- # the server must not inherit the lock
        # not the subshell's last command: dash would exec it and so close the only fd that
        # holds the lock while the server starts
        rc=$?
        exit $rc
    ) 9>"$LOCK"
}
