#!/usr/bin/env bash
# Runs a command against a Graph sandbox server: starts it, waits for its "listening on" line (the port is bound
# then), runs the command, and stops the sandbox however the command ends. The command's exit status is kept.
# Usage: with-sandbox.sh LOG SANDBOX [SANDBOX_ARGS…] -- COMMAND [ARGS…]
set -euo pipefail

usage() { echo "usage: with-sandbox.sh LOG SANDBOX [SANDBOX_ARGS…] -- COMMAND [ARGS…]" >&2; exit 2; }
[ $# -ge 4 ] || usage
log=$1
shift
sandbox=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  sandbox+=("$1")
  shift
done
[ $# -ge 2 ] && [ ${#sandbox[@]} -ge 1 ] || usage
shift

"${sandbox[@]}" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

# A debug build starts in well under a second; ten seconds allows for a loaded machine.
for _ in $(seq 100); do
  if grep -q "listening on" "$log"; then
    "$@"
    exit
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "with-sandbox.sh: the sandbox exited before listening; its log ($log):" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "with-sandbox.sh: no \"listening on\" line from the sandbox within 10 s; its log ($log):" >&2
cat "$log" >&2
exit 1
