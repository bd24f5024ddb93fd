#!/usr/bin/env bash
# Runs the shell blocks of README.md and docs/*.md as a reader would, or only those of the Markdown files named:
#   scripts/run-docs.sh                      # all of them, as `./mvnw verify` does
#   scripts/run-docs.sh docs/server.md       # one file (any Markdown file of the repository, a new one too)
# It builds the jar and runs io.hallmark.dist.docs.DocsBlocksIT (the convention is written at its top and in
# docs/README.md); a failure names the file and line, with the block's output. Each file's directory is kept in
# hallmark-dist/target/docs/. HALLMARK_DOCS_COMMAND='/usr/bin/hallmark' runs an installed hallmark instead of
# the jar; extra Maven options go in MAVEN_ARGS (e.g. MAVEN_ARGS=-o offline).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(IFS=,; echo "$*")
args=(-B -pl hallmark-dist -am verify -Dtest=DocsConventionTest -Dit.test=DocsBlocksIT -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false)
[ -n "$files" ] && args+=("-Dhallmark.docs=$files")
[ -n "${HALLMARK_DOCS_COMMAND:-}" ] && args+=("-Dhallmark.docs.command=$HALLMARK_DOCS_COMMAND")
exec ./mvnw "${args[@]}"
