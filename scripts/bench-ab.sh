#!/bin/bash
# Alternates `npm run bench:worker` between two trees (a baseline worktree and this one) and prints
# the quorum figures of each run on one line, so before/after come from the same session.
#   BASE=/path/to/baseline-worktree ROUNDS=3 QUORUM_WRITES=40000 bash scripts/bench-ab.sh
# Run it from `git archive` copies when editing: the bench's Vite server reloads on any edit.
set -u
BASE=${BASE:?set BASE to the baseline tree (e.g. git worktree add --detach ../base <commit>; npm ci there)}
HERE=$(cd "$(dirname "$0")/.." && pwd)
for i in $(seq 1 "${ROUNDS:-3}"); do
  for d in "$BASE" "$HERE"; do
    out=$(cd "$d" && STORAGE_STATS=1 QUORUM_WRITES=${QUORUM_WRITES:-40000} SECTIONS=quorum QUORUM_ONLY=1 \
      QUORUM_WINDOWS=${QUORUM_WINDOWS:-512,1024} npm run bench:worker 2>&1)
    line="$(basename "$d")"
    for w in 128 512 1024; do
      v=$(echo "$out" | grep "^|" | grep -E "QUORUM.*$w in flight over" | head -1 | awk -F'|' '{print $3}' | tr -d ' ')
      c=$(echo "$out" | grep "^|" | grep -E "QUORUM.*$w in flight, CPU" | head -1 | grep -o "[0-9]* µs" | head -1)
      line="$line  $w: ${v:-?} ops/s [${c:-?}]"
    done
    echo "$line  load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
