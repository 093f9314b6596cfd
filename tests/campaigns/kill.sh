#!/usr/bin/env bash
# The kill campaign of docs/security.md: builds a project again and again, kills each build
# with SIGKILL at a random moment, and checks after every kill, before any other build runs,
# that the output folder holds one complete site: every file its manifest (.baton-site) lists
# is there and nothing else is. Then the next build must succeed.
#
# usage: tests/campaigns/kill.sh BATON_BINARY PROJECT_DIR [KILLS]   (default 100 kills)
# PROJECT_DIR's data/, playbook/, templates/ and history/ are copied to a temporary folder; the
# original is not touched.
set -euo pipefail
baton=$(realpath "$1"); src=$2; kills=${3:-100}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/p"
for d in data playbook templates history; do [ -d "$src/$d" ] && cp -r "$src/$d" "$work/p/"; done
cd "$work/p"
"$baton" build --quiet >/dev/null 2>&1
# How long one build takes, in ms, to spread the kills over it.
start=$(date +%s%N); "$baton" build --quiet >/dev/null 2>&1; end=$(date +%s%N)
span=$(( (end - start) / 1000000 + 1 ))
check() {
  local m=output/.baton-site
  [ -f "$m" ] || { echo "kill $1: no manifest: output/ is missing or incomplete"; exit 1; }
  diff <(tail -n +2 "$m" | sort) <(cd output && find . -type f ! -name .baton-site | sed 's#^\./##' | sort) \
    >/dev/null || { echo "kill $1: output/ does not match its manifest"; exit 1; }
}
mid=0
for i in $(seq 1 "$kills"); do
  "$baton" build --quiet >/dev/null 2>&1 & pid=$!
  sleep "$(awk -v s="$span" -v r="$RANDOM" 'BEGIN { printf "%.3f", s * r / 32768 / 1000 }')"
  if kill -9 "$pid" 2>/dev/null; then mid=$((mid + 1)); fi
  wait "$pid" 2>/dev/null || true
  check "$i"
done
"$baton" build --quiet >/dev/null 2>&1 || { echo "the build after the campaign failed"; exit 1; }
check final
echo "kill campaign: $kills kills ($mid during a build of about ${span} ms), output/ complete after every one"
