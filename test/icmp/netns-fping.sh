#!/bin/sh
# Stand-in for the fping binary in tests: runs the real fping with the arguments given, inside a
# private network namespace where echo-responder.py answers on loopback instead of the kernel
# (duplicates for 127.0.0.1 and ::1, Host Unreachable for 127.0.0.9). Needs root and python3.
here=$(cd "$(dirname "$0")" && pwd)
exec unshare -n sh -c '
  here=$1; shift
  ip link set lo up && sysctl -q -w net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1 || exit 4
  fifo=$(mktemp -u) && mkfifo "$fifo" || exit 4
  python3 -u "$here/echo-responder.py" > "$fifo" &
  responder=$!
  read -r ready < "$fifo"
  rm -f "$fifo"
  [ "$ready" = ready ] || { echo "echo-responder.py did not start" >&2; exit 4; }
  fping "$@"
  rc=$?
  kill "$responder"
  exit $rc
' netns-fping "$here" "$@"
