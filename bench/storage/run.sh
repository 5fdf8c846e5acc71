#!/usr/bin/env bash
# Storage round trips and latency per request, as a new user would measure
# them (see main.go): the rows on the local directory and on MinIO behind a
# TCP proxy adding 5 ms each way, then wrk (64 connections, local
# directory) against an authenticated GET of a version and a bare Echo
# handler serving the same bytes, then the growth check (a page of 100
# proposals and a page of 50 documents with 10,000 proposals and 1,000
# documents against 200 and 50).
#
#   bash bench/storage/run.sh              # this checkout
#   bash bench/storage/run.sh main         # also on another revision, for before/after
#
# MinIO comes from CHANCERY_MINIO_BIN or ~/.cache/chancery/bin/minio (test.sh
# installs it); wrk from PATH (Debian package wrk). SKIP_GROWTH=1 and
# SKIP_WRK=1 leave those parts out.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CHANCERY_MINIO_BIN=${CHANCERY_MINIO_BIN:-$HOME/.cache/chancery/bin/minio}
reps=${REPS:-9}

run() { # dir label
	local dir=$1 label=$2
	echo "== $label"
	(cd "$dir" && go run ./bench/storage -backend local -reps "$reps" 2>/dev/null)
	(cd "$dir" && go run ./bench/storage -backend minio -latency 5ms -reps "$reps" 2>/dev/null)
	if [ -z "${SKIP_WRK:-}" ]; then
		(cd "$dir" && go run ./bench/storage -wrk 10s 2>/dev/null)
	fi
}

if [ $# -gt 0 ]; then
	tmp=$(mktemp -d)
	trap 'git -C "$root" worktree remove --force "$tmp/before" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
	git -C "$root" worktree add -q --detach "$tmp/before" "$1"
	mkdir -p "$tmp/before/bench/storage"
	cp "$root/bench/storage/main.go" "$tmp/before/bench/storage/main.go"
	run "$tmp/before" "before ($1)"
fi
run "$root" "this checkout ($(git -C "$root" rev-parse --short HEAD))"
if [ -z "${SKIP_GROWTH:-}" ]; then
	echo "== growth (local directory)"
	(cd "$root" && go run ./bench/storage -backend local -reps "$reps" -proposals 200 -documents 50 -only list 2>/dev/null)
	(cd "$root" && go run ./bench/storage -backend local -reps "$reps" -proposals 10000 -documents 1000 -only list 2>/dev/null)
fi
