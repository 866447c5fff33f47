#!/usr/bin/env bash
# The demo: builds the project if needed, starts a local etcd, three weighted sample servers and a
# client, then stops one server and shows the calls moving to the others, and starts it again.
# Stops everything it started on exit, also on Ctrl-C.  --quick: fewer calls (CI's smoke test).
set -euo pipefail
cd "$(dirname "$0")"

calls=2000
[ "${1:-}" = "--quick" ] && calls=300

say() { printf '\n==> %s\n' "$*"; }
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v etcd >/dev/null 2>&1 && [ -z "${ETCD_BINARY:-}" ]; then
  echo "etcd is not installed. Install it: 'apt-get install -y etcd-server' (Debian/Ubuntu) or 'brew install etcd' (macOS)." >&2
  exit 1
fi

server_jar=sample-server/target/sample-server-0.1.0-SNAPSHOT-exec.jar
client_jar=sample-client/target/sample-client-0.1.0-SNAPSHOT.jar
if [ ! -f "$server_jar" ] || [ ! -f "$client_jar" ] || [ ! -f etcd-grpclb-spring-boot-test/target/classes/io/github/etcdgrpclb/test/EtcdLauncher.class ]; then
  say "Building (mvn install, tests skipped)"
  mvn -B -q -ntp install -DskipTests
fi

say "Starting a local etcd on a free loopback port"
classpath_file=$(mktemp)
mvn -B -q -ntp -pl etcd-grpclb-spring-boot-test dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
log_dir=$(mktemp -d)
java -cp "etcd-grpclb-spring-boot-test/target/classes:$(cat "$classpath_file")" \
  io.github.etcdgrpclb.test.EtcdLauncher > "$log_dir/etcd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q '^ETCD_ENDPOINTS=' "$log_dir/etcd.log" && break; sleep 0.1; done
export ETCD_ENDPOINTS=$(grep '^ETCD_ENDPOINTS=' "$log_dir/etcd.log" | cut -d= -f2-)
[ -n "$ETCD_ENDPOINTS" ] || { echo "etcd did not start:"; cat "$log_dir/etcd.log"; exit 1; }
echo "etcd serves at $ETCD_ENDPOINTS (logs in $log_dir)"

server_pid=()
start_server() { # weight
  java -jar "$server_jar" --grpc.server.port=0 --grpc.weight="$1" > "$log_dir/server-w$1.log" 2>&1 &
  pids+=($!)
  server_pid[$1]=$!
  echo "server with weight $1 started (pid $!)"
}
run_client() { # expected server count
  java -jar "$client_jar" --demo.calls="$calls" --demo.await-servers="$1" ${CLIENT_ARGS:-}
}

say "Starting three sample servers (simple_grpc) with weights 1, 2 and 5"
start_server 1; start_server 2; start_server 5

say "Client: $calls calls to etcd:///simple_grpc, spread by weight"
run_client 3

say "Stopping the server with weight 5 (graceful: it deregisters, then stops)"
kill "${server_pid[5]}"; wait "${server_pid[5]}" 2>/dev/null || true

say "Client again: the calls go to the two remaining servers, 1:2"
run_client 2

say "Starting the weight-5 server again"
start_server 5

say "Client again: back to 1:2:5"
run_client 3

say "Done; stopping the servers and etcd"
