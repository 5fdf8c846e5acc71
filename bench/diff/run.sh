#!/usr/bin/env bash
# Compares Chancery's word-level provision diff with git's word diff.
#
# In one run: builds the generator and the diff program (bench/diff/cmd/wdiff,
# which does what `chancery diff OLD NEW` will: parse, align, diff), generates
# a ~150 KB pair (300 provisions) and a ~5 MB pair (10,000 provisions), each
# with a tenth of the provisions edited word by word, then times
#
#   wdiff OLD NEW                                          (text output)
#   git diff --no-index --word-diff=porcelain OLD NEW
#
# REPS times each (default 9), taking turns, with bench/diff/cmd/timeit
# (wall time from start to exit of each process), and prints the medians:
# size, chancery ms, chancery MB allocated (Go's TotalAlloc), git ms, and the
# ratio chancery/git (below 1: Chancery is faster). When ./cmd/chancery
# builds, `chancery diff --format text OLD NEW` is timed too (cli_ms and its
# ratio to git): the same work in the program people run, with its
# start-up.
#
#   bash bench/diff/run.sh            # from anywhere in the repository
#   REPS=21 bash bench/diff/run.sh
set -euo pipefail

reps=${REPS:-9}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && go build -o "$tmp/gen" ./bench/diff/gen && go build -o "$tmp/wdiff" ./bench/diff/cmd/wdiff && go build -o "$tmp/timeit" ./bench/diff/cmd/timeit)
cli=""
if (cd "$root" && go build -o "$tmp/chancery" ./cmd/chancery 2>/dev/null); then
	cli="$tmp/chancery"
else
	echo "(./cmd/chancery does not build: not timed)" >&2
fi
"$tmp/gen" -provisions 300 -out "$tmp/150KB"
"$tmp/gen" -provisions 10000 -out "$tmp/5MB"

printf '%-6s %10s %11s %12s %9s %7s %9s %9s\n' size bytes chancery_ms chancery_MB git_ms ratio cli_ms cli_ratio
for size in 150KB 5MB; do
	old="$tmp/$size/old.txt" new="$tmp/$size/new.txt"
	bytes=$(wc -c <"$old")
	cmds=("$tmp/wdiff $old $new" "git -c core.quotepath=off diff --no-index --no-color --word-diff=porcelain $old $new")
	[ -z "$cli" ] || cmds+=("$cli diff --format text $old $new")
	mapfile -t ms < <("$tmp/timeit" -reps "$reps" "${cmds[@]}")
	c=${ms[0]} g=${ms[1]} k=${ms[2]:-0}
	mb=$("$tmp/wdiff" -stats "$old" "$new" 2>&1 >/dev/null | sed -n 's/.*alloc_mb=\([0-9.]*\).*/\1/p')
	awk -v s="$size" -v b="$bytes" -v c="$c" -v g="$g" -v k="$k" -v mb="$mb" 'BEGIN {
		printf "%-6s %10d %11.1f %12s %9.1f %7.2f", s, b, c, mb, g, c/g
		if (k > 0) printf " %9.1f %9.2f\n", k, k/g; else printf " %9s %9s\n", "-", "-"
	}'
done
