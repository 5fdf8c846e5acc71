#!/usr/bin/env bash
# Runs every test of Chancery. It first installs what the tests need, pinned,
# reusing what is already there: MinIO and versitygw (built with `go install`
# into a cache folder, minutes the first time), poppler-utils and qpdf
# (Debian packages, for checking PDFs), chromium and axe-core (for the web
# workspace's browser tests) and libreoffice-writer-nogui (for the Word
# tests). Then gofmt, go vet and
# go test -race ./... .
set -euo pipefail
cd "$(dirname "$0")"

MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
VERSITYGW_VERSION=v1.8.0
export CHANCERY_TOOLS_DIR="${CHANCERY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/chancery/bin}"
mkdir -p "$CHANCERY_TOOLS_DIR"

# go_tool NAME PACKAGE VERSION: install a Go program once per version.
go_tool() {
  local name=$1 pkg=$2 version=$3 stamp="$CHANCERY_TOOLS_DIR/.$1.version"
  if [ -x "$CHANCERY_TOOLS_DIR/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    return
  fi
  echo "test.sh: installing $name $version into $CHANCERY_TOOLS_DIR (only the first time; it takes a few minutes)"
  GOBIN="$CHANCERY_TOOLS_DIR" GOFLAGS=-buildvcs=false go install "$pkg@$version"
  echo "$version" >"$stamp"
}
go_tool minio github.com/minio/minio "$MINIO_VERSION"
go_tool versitygw github.com/versity/versitygw/cmd/versitygw "$VERSITYGW_VERSION"
export CHANCERY_MINIO_BIN="$CHANCERY_TOOLS_DIR/minio"
export CHANCERY_VERSITYGW_BIN="$CHANCERY_TOOLS_DIR/versitygw"

# PDF tools from Debian's packages.
if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null || ! command -v qpdf >/dev/null; then
  echo "test.sh: installing poppler-utils and qpdf"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq poppler-utils qpdf >/dev/null
fi

# LibreOffice, headless, as an independent reader and writer of .docx
# (package docx's tests; they fail under CI=true without it). Pinned to
# Debian 12's LibreOffice 7.4 line: its security updates replace the exact
# version in the archive, so the pin is on the release line.
LIBREOFFICE_VERSION='4:7.4.*'
if ! command -v soffice >/dev/null; then
  echo "test.sh: installing libreoffice-writer-nogui $LIBREOFFICE_VERSION (for the docx tests)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "libreoffice-writer-nogui=$LIBREOFFICE_VERSION" >/dev/null
fi

# Browser tests of the web workspace and of the API reference page /v1/docs:
# Debian's chromium, and axe-core (pinned) from npm into a cache folder,
# never into the repository.
AXE_VERSION=4.11.1
# npm is installed only where there is none: a machine whose Node.js comes
# from NodeSource has its npm already, and Debian's npm conflicts with it.
for pkg in chromium npm; do
  if ! command -v "$pkg" >/dev/null; then
    echo "test.sh: installing $pkg"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$pkg" >/dev/null
  fi
done
CHANCERY_NPM_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/chancery/npm"
if [ "$(cat "$CHANCERY_NPM_DIR/.axe-core.version" 2>/dev/null)" != "$AXE_VERSION" ] || [ ! -f "$CHANCERY_NPM_DIR/node_modules/axe-core/axe.min.js" ]; then
  echo "test.sh: installing axe-core $AXE_VERSION into $CHANCERY_NPM_DIR"
  mkdir -p "$CHANCERY_NPM_DIR"
  npm install --prefix "$CHANCERY_NPM_DIR" --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
  echo "$AXE_VERSION" >"$CHANCERY_NPM_DIR/.axe-core.version"
fi
export CHANCERY_AXE="$CHANCERY_NPM_DIR/node_modules/axe-core/axe.min.js"

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "test.sh: gofmt would change:" $unformatted >&2
  exit 1
fi
go vet ./...

# The storage contract suite first, listed, so the output shows it ran on
# the local directory, MinIO and versitygw; then everything else.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! go test -race -count=1 -timeout 10m -v ./storage/ >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
grep -E '^(--- |ok )' "$log"
go test -race -count=1 -timeout 30m $(go list ./... | grep -vx 'chancery/storage')
