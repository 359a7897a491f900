# Sourced by tests/run.sh and tests/with_pg.sh: the folder of the shared datasets (CDNOW and
# the others of the tests) is $CVKIT_DATA, default ../shared/data relative to the repository
# root. check_data exports CVKIT_DATA as an absolute path, or prints one message naming the
# fix and returns 1 when CDNOW_sample.txt is not there.
check_data() {
    d=${CVKIT_DATA:-../shared/data}
    if [ ! -f "$d/CDNOW_sample.txt" ]; then
        echo "the shared datasets are not at $d: set CVKIT_DATA to their folder" >&2
        return 1
    fi
    CVKIT_DATA=$(cd "$d" && pwd)
    export CVKIT_DATA
}
