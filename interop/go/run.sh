#!/usr/bin/env bash
# Go programs against our Java side: the Go tutorial's weighted client and etcd's own Go naming
# resolver (written before metadata existed) against servers that carry it, and etcd's Go Election as
# the next candidate of a sample server that gets SIGTERM. Builds them with Debian's Go packages (GOPATH
# mode: no module proxy needed), then runs the GoInterop check. Installs the packages when they are missing (root or sudo).
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/go.etcd.io/etcd/clientv3 ] \
    || [ ! -d /usr/share/gocode/src/google.golang.org/grpc ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq golang-go golang-etcd-server-dev golang-google-grpc-dev >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for client in weightclient namingclient electioncandidate; do
  mkdir -p "$work/src/$client"
  cp "interop/go/$client/main.go" "$work/src/$client/"
  (cd "$work/src/$client" && GO111MODULE=off GOPATH="$work:/usr/share/gocode" GOCACHE="$work/cache" go build -o "$work/$client" .)
done
echo "Go clients built with $(go version)"

# Always from this checkout: the classpath below comes from the local repository, where an older snapshot
# of a module would run old code (a CI run met one without EtcdLeaderInitiator). Installs only what
# GoInterop runs on; compiled already, this only packages.
mvn -B -q -ntp install -DskipTests -Djacoco.skip=true -Dgpg.skip -pl benchmarks -am
classpath=$(mktemp)
mvn -B -q -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$classpath" >/dev/null
java -cp "benchmarks/target/classes:$(cat "$classpath")" io.github.etcdgrpclb.benchmarks.GoInterop \
  "$work/weightclient" "$work/namingclient" "$work/electioncandidate"
