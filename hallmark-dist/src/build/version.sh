#!/bin/sh
# Writes what `hallmark -V` prints (BuildInfo in hallmark-cli reads it): the version, the commit the sources are
# at, whether they had uncommitted changes, and the build time (SOURCE_DATE_EPOCH's, for a reproducible
# build). Sources without git metadata, or no git installed, still build: the commit is then "unknown".
# Usage: version.sh OUTPUT-FILE VERSION
set -eu
out=$1 version=$2
cd "$(dirname "$0")"
commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
modified=false
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  modified=true
fi
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  built=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
else
  built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fi
mkdir -p "$(dirname "$out")"
cat > "$out" <<PROPERTIES
# Written by hallmark-dist/src/build/version.sh at build time.
version=$version
commit=$commit
modified=$modified
built=$built
PROPERTIES
