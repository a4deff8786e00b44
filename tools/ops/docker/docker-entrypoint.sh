#!/bin/sh
# Starts the service with `exec node` (tini stays PID 1 and forwards signals to node directly).
# The V8 heap is sized from the container's memory limit: 75 % of it, leaving room for buffers,
# native memory and the code cache. Node 22 does not read the cgroup limit for the old space on
# its own; --max-old-space-size-percentage only arrives in Node 24.
set -eu

limit_bytes() {
  root="${CGROUP_ROOT:-/sys/fs/cgroup}"
  if [ -n "${CONTAINER_MEMORY_LIMIT_BYTES:-}" ]; then
    echo "$CONTAINER_MEMORY_LIMIT_BYTES"
  elif [ -r "$root/memory.max" ]; then
    cat "$root/memory.max" # cgroup v2; "max" when unlimited
  elif [ -r "$root/memory/memory.limit_in_bytes" ]; then
    cat "$root/memory/memory.limit_in_bytes" # cgroup v1; a huge number when unlimited
  fi
}

HEAP_PERCENT="${HEAP_PERCENT:-75}"
limit="$(limit_bytes || true)"
case "$limit" in
  '' | max | *[!0-9]*) ;;
  *)
    # Ignore "unlimited" (cgroup v1 reports ~2^63) and anything under 64 MiB (misread units).
    if [ "${#limit}" -le 15 ] && [ "$limit" -ge 67108864 ]; then
      heap_mb=$((limit / 1048576 * HEAP_PERCENT / 100))
      case " ${NODE_OPTIONS:-} " in
        *--max-old-space-size*) ;;
        *) NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=$heap_mb" ;;
      esac
      export NODE_OPTIONS
    fi
    ;;
esac

cd "$(dirname "$0")"
if [ "$#" -eq 0 ]; then set -- dist/bundle/main.js; fi
# No --enable-source-maps: parsing the bundle's map costs ~200 ms of start-up and ~10 MB held for
# good. Stack frames keep their function names; the map (dist/bundle/main.js.map) sits beside the
# bundle for `node --enable-source-maps` when a position must be traced back to the source.
exec node "$@"
