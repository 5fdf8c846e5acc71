#!/usr/bin/env bash
# The meeting benchmark (see main.go and RESULTS.md): this checkout's
# server, and with an argument another revision's server too, for
# before/after, each on the local directory and on MinIO with 5 ms added
# each way. The benchmark itself is this checkout's in both runs: it
# speaks only HTTP to the server it builds.
#
#   bash bench/meeting/run.sh           # this checkout
#   bash bench/meeting/run.sh main      # also main's server, first
#
# MinIO comes from CHANCERY_MINIO_BIN or ~/.cache/chancery/bin/minio
# (test.sh installs it). Extra flags go to the benchmark: FLAGS="-rounds 8".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CHANCERY_MINIO_BIN=${CHANCERY_MINIO_BIN:-$HOME/.cache/chancery/bin/minio}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/meeting" ./bench/meeting)
if [ $# -gt 0 ]; then
	mkdir "$tmp/before"
	git -C "$root" archive "$1" | tar -x -C "$tmp/before"
	echo "== before: $1 ($(git -C "$root" rev-parse --short "$1"))"
	"$tmp/meeting" -src "$tmp/before" ${FLAGS:-}
fi
echo "== this checkout ($(git -C "$root" rev-parse --short HEAD))"
(cd "$root" && "$tmp/meeting" ${FLAGS:-})
