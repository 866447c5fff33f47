#!/usr/bin/env bash
# The demo: builds the project if needed, starts a local etcd and a mixed fleet of three weighted
# sample servers (Spring Boot 3.5 + net.devh and Spring Boot 4.1 + Spring Boot gRPC) under one
# service, calls it with a client of each line, then stops one server and shows the calls moving to
# the others, and starts it again. On the way it changes the servers' report interval in etcd and
# shows them applying it live (etcd as configuration centre).
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
server4_jar=sample-server-boot4/target/sample-server-boot4-0.1.0-SNAPSHOT-exec.jar
client4_jar=sample-client-boot4/target/sample-client-boot4-0.1.0-SNAPSHOT.jar
built=1
console_jar=etcd-grpclb-console/target/etcd-grpclb-console-0.1.0-SNAPSHOT.jar
for jar in "$server_jar" "$client_jar" "$server4_jar" "$client4_jar" "$console_jar" \
  etcd-grpclb-test/target/classes/io/github/etcdgrpclb/test/EtcdLauncher.class; do
  [ -f "$jar" ] || built=""
done
if [ -z "$built" ]; then
  say "Building (mvn install, tests skipped)"
  mvn -B -q -ntp install -DskipTests
fi

say "Starting a local etcd on a free loopback port"
classpath_file=$(mktemp)
mvn -B -q -ntp -pl etcd-grpclb-test dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
log_dir=$(mktemp -d)
java -cp "etcd-grpclb-test/target/classes:$(cat "$classpath_file")" \
  io.github.etcdgrpclb.test.EtcdLauncher > "$log_dir/etcd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q '^ETCD_ENDPOINTS=' "$log_dir/etcd.log" && break; sleep 0.1; done
export ETCD_ENDPOINTS=$(grep '^ETCD_ENDPOINTS=' "$log_dir/etcd.log" | cut -d= -f2-)
[ -n "$ETCD_ENDPOINTS" ] || { echo "etcd did not start:"; cat "$log_dir/etcd.log"; exit 1; }
echo "etcd serves at $ETCD_ENDPOINTS (logs in $log_dir)"

server_pid=()
start_server() { # jar, line, weight: both lines take the same settings
  java -jar "$1" --grpc.server.port=0 --grpc.weight="$3" --etcd.leader.enabled=true --etcd.leader.ttl=2s \
    > "$log_dir/server-w$3.log" 2>&1 &
  pids+=($!)
  server_pid[$3]=$!
  echo "Spring Boot $2 server with weight $3 started (pid $!)"
}
run_client() { # jar, line, expected server count
  echo "Spring Boot $2 client:"
  java -jar "$1" --demo.calls="$calls" --demo.await-servers="$3" ${CLIENT_ARGS:-}
}

put_key() { # key, value: etcd's own JSON gateway (/v3/kv/put, base64 key and value), as curl users do it
  curl -fsS "${ETCD_ENDPOINTS%%,*}/v3/kv/put" \
    -d "{\"key\":\"$(printf %s "$1" | base64 | tr -d '\n')\",\"value\":\"$(printf %s "$2" | base64 | tr -d '\n')\"}" >/dev/null
}
leader() { # the candidate that last logged taking the lead, among the running servers' logs
  grep -h "Leading election" "$log_dir"/server-w*.log 2>/dev/null | tail -1 | sed 's/.* as \([^ ]*\) .*/\1/'
}
await_leader_line() { # log file: waits until that server leads
  for _ in $(seq 1 300); do grep -q "Leading election" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "no server took the lead" >&2; return 1
}

say "Starting three sample servers (simple_grpc): weight 5 and 1 on Spring Boot 3.5, weight 2 on Spring Boot 4.1"
echo "They also elect a leader (--etcd.leader.enabled=true); the first to campaign, weight 5, leads."
start_server "$server_jar" 3.5 5; await_leader_line "$log_dir/server-w5.log"
start_server "$server_jar" 3.5 1; start_server "$server4_jar" 4.1 2
echo "leader: $(leader)"

say "The fleet console: services and weights, leaders, locks, configuration and the etcd cluster, live"
# An admin, so that the demo's console can steer the fleet too (it listens on loopback only).
java -jar "$console_jar" --etcd.endpoints="$ETCD_ENDPOINTS" --server.port=0 \
  --console.users.admin.password=admin --console.users.admin.role=ADMIN > "$log_dir/console.log" 2>&1 &
pids+=($!)
console_port=""
for _ in $(seq 1 300); do
  console_port=$(grep -o 'Tomcat started on port[^0-9]*[0-9]*' "$log_dir/console.log" 2>/dev/null | grep -o '[0-9]*$' || true)
  [ -n "$console_port" ] && break; sleep 0.1
done
[ -n "$console_port" ] || { echo "the console did not start:" >&2; tail -20 "$log_dir/console.log" >&2; exit 1; }
echo "Open http://127.0.0.1:$console_port/ (it updates itself; sign in as admin/admin to change a weight or drain a server)"
if command -v curl >/dev/null 2>&1; then
  for _ in $(seq 1 50); do
    [ "$(curl -fsS "http://127.0.0.1:$console_port/" | grep -o 'class="address"' | wc -l)" -ge 3 ] && break; sleep 0.1
  done
  echo "What its page lists (as chromium --dump-dom or curl read it):"
  curl -fsS "http://127.0.0.1:$console_port/" | grep -o '<td class="address">[^<]*</td><td class="weight">[0-9]*' \
    | sed 's/<td class="address">\([^<]*\)<\/td><td class="weight">/  \1  weight /'
fi

say "Clients of both lines: $calls calls each to etcd:///simple_grpc, spread by weight"
run_client "$client_jar" 3.5 3
run_client "$client4_jar" 4.1 3

say "etcd as configuration centre: every server imports /config/simple_grpc/ (spring.config.import=optional:etcd:)"
if command -v curl >/dev/null 2>&1; then
  put_key /config/simple_grpc/sample.report.interval 1s
  echo "put /config/simple_grpc/sample.report.interval = 1s (the leader's report ran every 10 s)"
  for _ in $(seq 1 100); do grep -q "Report interval is now" "$log_dir/server-w5.log" && break; sleep 0.1; done
  grep -q "Report interval is now" "$log_dir/server-w5.log" \
    || { echo "the leader did not apply the change from etcd:" >&2; tail -20 "$log_dir/server-w5.log" >&2; exit 1; }
  grep -h "changed in etcd" "$log_dir/server-w5.log" | sed 's/^.* : /  leader: /'
  reports_since_change() {
    awk '/Report interval is now/ { seen = 1; next } seen && /Writing the report as the leader/' "$log_dir/server-w5.log"
  }
  for _ in $(seq 1 50); do [ "$(reports_since_change | wc -l)" -ge 2 ] && break; sleep 0.1; done
  reports_since_change | head -2 | sed 's/^\([^ ]*\) .* : /  \1 leader: /'
else
  echo "(curl is not installed: skipping the live configuration change)"
fi

say "Stopping the server with weight 5, the leader (graceful: it resigns and deregisters, then stops)"
kill "${server_pid[5]}"; wait "${server_pid[5]}" 2>/dev/null || true
mv "$log_dir/server-w5.log" "$log_dir/stopped-w5.log"
for _ in $(seq 1 100); do [ -n "$(leader)" ] && break; sleep 0.1; done
echo "leader now: $(leader)"

say "Client again: the calls go to the two remaining servers, 1:2"
run_client "$client4_jar" 4.1 2

say "Starting the weight-5 server again, on Spring Boot 4.1 this time"
start_server "$server4_jar" 4.1 5

say "Client again: back to 1:2:5"
run_client "$client_jar" 3.5 3

say "Done; stopping the servers and etcd"
