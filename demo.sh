#!/usr/bin/env bash
# The demo: builds the project if needed, starts a local etcd and runs the samples against it.
# Stops everything it started on exit, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

quick=""
[ "${1:-}" = "--quick" ] && quick=1

say() { printf '\n==> %s\n' "$*"; }
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if ! command -v etcd >/dev/null 2>&1 && [ -z "${ETCD_BINARY:-}" ]; then
  echo "etcd is not installed. Install it: 'apt-get install -y etcd-server' (Debian/Ubuntu) or 'brew install etcd' (macOS)." >&2
  exit 1
fi

say "Building (mvn install, tests skipped)"
mvn -B -q -ntp install -DskipTests

say "Starting a local etcd on a free loopback port"
classpath_file=$(mktemp)
mvn -B -q -ntp -pl etcd-grpclb-spring-boot-test dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
etcd_log=$(mktemp)
java -cp "etcd-grpclb-spring-boot-test/target/classes:$(cat "$classpath_file")" \
  io.github.etcdgrpclb.test.EtcdLauncher > "$etcd_log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q '^ETCD_ENDPOINTS=' "$etcd_log" && break; sleep 0.1; done
ETCD_ENDPOINTS=$(grep '^ETCD_ENDPOINTS=' "$etcd_log" | cut -d= -f2-)
[ -n "$ETCD_ENDPOINTS" ] || { echo "etcd did not start:"; cat "$etcd_log"; exit 1; }
echo "etcd serves at $ETCD_ENDPOINTS"

if [ -n "$quick" ]; then
  say "Quick mode: etcd started and answered; stopping"
  exit 0
fi
say "etcd is running; press Ctrl-C to stop"
wait "${pids[0]}"
