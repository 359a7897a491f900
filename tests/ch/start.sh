#!/bin/sh
# Starts a throwaway two-shard ClickHouse cluster for cvkit's tests and loads CDNOW into it.
#   sh tests/ch/start.sh        (stop it with sh tests/ch/stop.sh)
# Two clickhouse-server processes on 127.0.0.1 only: shard 1 HTTP $CVKIT_CH_PORT (default
# 58123) and TCP +1000 (59123), shard 2 HTTP +1 (58124) and TCP +1001 (59124). Both know the
# cluster cvkit_two (remote_servers: one replica per shard). Data in $CVKIT_CH_DIR (default
# ${TMPDIR:-/tmp}/cvkit-ch-$PORT). Each query may use $CVKIT_CH_MAX_MEMORY bytes (default 2e9)
# and spills a GROUP BY or ORDER BY to disk past $CVKIT_CH_SPILL (default 1e9; the benchmark's
# 100M customers need it). Users: default (no password, for the shards' own
# traffic) and cvkit with password "cvkit". Database cvkit on both, with
#   cdnow_local   (MergeTree, on each shard: the CDNOW_sample rows of its customers,
#                  odd customers on shard 1, even on shard 2)
#   cdnow         (Distributed over cdnow_local: all 6,919 rows)
# If the cluster already runs there, it is reused. Prints the URL the tests use:
#   clickhouse://cvkit:cvkit@127.0.0.1:58123/cvkit
# Exit status 0 when both servers are up, 2 when ClickHouse is not installed, 1 on failure.
set -eu
PORT=${CVKIT_CH_PORT:-58123}
DIR=${CVKIT_CH_DIR:-${TMPDIR:-/tmp}/cvkit-ch-$PORT}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${CVKIT_DATA:-$TOP/../shared/data}
SERVER=$(command -v clickhouse-server || true)
CLIENT=$(command -v clickhouse-client || true)
if [ -z "$SERVER" ] || [ -z "$CLIENT" ]; then
    echo "ch: clickhouse is not installed (apt-get install clickhouse-server clickhouse-client)" >&2
    exit 2
fi
URL="clickhouse://cvkit:cvkit@127.0.0.1:$PORT/cvkit"
H1=$PORT
H2=$((PORT + 1))
T1=$((PORT + 1000))
T2=$((PORT + 1001))

# up N: whether shard N answers on HTTP
up() {
    [ "$(curl -s "http://127.0.0.1:$1/?query=SELECT%201" 2>/dev/null)" = 1 ]
}

mkdir -p "$DIR"
# config N HTTP TCP: writes the server's configuration into $DIR/sN
config() {
    d=$DIR/s$1
    mkdir -p "$d/data" "$d/tmp" "$d/user_files" "$d/format_schemas"
    cat >"$d/config.xml" <<CONF
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$d/server.log</log><errorlog>$d/error.log</errorlog>
        <size>10M</size><count>1</count></logger>
    <http_port>$2</http_port>
    <tcp_port>$3</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <path>$d/data/</path>
    <tmp_path>$d/tmp/</tmp_path>
    <user_files_path>$d/user_files/</user_files_path>
    <format_schema_path>$d/format_schemas/</format_schema_path>
    <users_config>$DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>67108864</mark_cache_size>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <max_concurrent_queries>50</max_concurrent_queries>
    <remote_servers>
        <cvkit_two>
            <shard><replica><host>127.0.0.1</host><port>$T1</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>$T2</port></replica></shard>
        </cvkit_two>
    </remote_servers>
</yandex>
CONF
}
cat >"$DIR/users.xml" <<CONF
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>${CVKIT_CH_MAX_MEMORY:-2000000000}</max_memory_usage>
        <max_bytes_before_external_group_by>${CVKIT_CH_SPILL:-1000000000}</max_bytes_before_external_group_by>
        <max_bytes_before_external_sort>${CVKIT_CH_SPILL:-1000000000}</max_bytes_before_external_sort>
        <distributed_aggregation_memory_efficient>1</distributed_aggregation_memory_efficient>
    </default></profiles>
    <users>
        <default><password></password><networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile><quota>default</quota></default>
        <cvkit><password>cvkit</password><networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile><quota>default</quota></cvkit>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
    </interval></default></quotas>
</yandex>
CONF
config 1 $H1 $T1
config 2 $H2 $T2
for n in 1 2; do
    up $((PORT + n - 1)) && continue
    # the server stays in the background; its pid is kept for stop.sh
    (cd "$DIR/s$n" && exec "$SERVER" --config-file="$DIR/s$n/config.xml" \
        >"$DIR/s$n/stdout.log" 2>&1) &
    echo $! >"$DIR/s$n.pid"
done
i=0
until up $H1 && up $H2; do
    i=$((i + 1))
    if [ $i -gt 120 ]; then
        echo "ch: the servers did not start:" >&2
        tail -n 20 "$DIR"/s*/stdout.log "$DIR"/s*/error.log >&2 2>/dev/null
        exit 1
    fi
    sleep 0.5
done

q() { # q TCPPORT SQL...
    p=$1
    shift
    "$CLIENT" --host 127.0.0.1 --port "$p" --multiquery --query "$*"
}
for p in $T1 $T2; do
    q $p "CREATE DATABASE IF NOT EXISTS cvkit;
        CREATE TABLE IF NOT EXISTS cvkit.cdnow_local (master_id Int32, customer Int32,
            date Date, cds Int32, amount Float64) ENGINE = MergeTree() ORDER BY (customer, date);
        CREATE TABLE IF NOT EXISTS cvkit.cdnow AS cvkit.cdnow_local
            ENGINE = Distributed(cvkit_two, cvkit, cdnow_local, customer)"
done
# CDNOW_sample: master id, sample id, date YYYYMMDD, CDs, dollars (runs of spaces); odd
# customers to shard 1, even to shard 2 (each shard's local table written directly)
if [ "$(q $T1 'SELECT count() FROM cvkit.cdnow')" != 6919 ]; then
    q $T1 "TRUNCATE TABLE cvkit.cdnow_local" 2>/dev/null || true
    q $T2 "TRUNCATE TABLE cvkit.cdnow_local" 2>/dev/null || true
    for s in 1 0; do
        [ $s = 1 ] && p=$T1 || p=$T2
        awk -v s=$s '{ sub(/\r$/, "") } NF == 5 && ($2 + 0) % 2 == s {
            printf "%d\t%d\t%s-%s-%s\t%d\t%s\n", $1, $2, substr($3, 1, 4), substr($3, 5, 2),
                substr($3, 7, 2), $4, $5 }' "$DATA/CDNOW_sample.txt" |
            "$CLIENT" --host 127.0.0.1 --port $p \
                --query "INSERT INTO cvkit.cdnow_local FORMAT TabSeparated"
    done
fi
echo "$URL"
