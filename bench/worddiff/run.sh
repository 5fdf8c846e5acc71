#!/usr/bin/env bash
# Words marked changed / words really changed, for Chancery's word diff and
# for git's, on scattered word edits of the corpus sentences (see main.go).
# Goal: 1.00 for Chancery, and never above git.
#
#   bash bench/worddiff/run.sh            # from anywhere in the repository
#   SEED=7 ROUNDS=10 bash bench/worddiff/run.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
go run ./bench/worddiff -seed "${SEED:-1}" -rounds "${ROUNDS:-5}"
