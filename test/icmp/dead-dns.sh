#!/bin/sh
# Runs a command in private network and mount namespaces where the only DNS server
# (127.0.0.1:53, resolv.conf "timeout:5 attempts:2", or DEAD_DNS_OPTIONS) swallows every query, so
# each name that is not in /etc/hosts holds a getaddrinfo call for about 10 s. Needs root and python3.
export DEAD_DNS_OPTIONS="${DEAD_DNS_OPTIONS:-timeout:5 attempts:2}"
exec unshare -n -m sh -c '
  ip link set lo up || exit 4
  conf=$(mktemp) && printf "nameserver 127.0.0.1\noptions %s\n" "$DEAD_DNS_OPTIONS" > "$conf" || exit 4
  mount --bind "$conf" /etc/resolv.conf || exit 4
  fifo=$(mktemp -u) && mkfifo "$fifo" || exit 4
  python3 -u -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((\"127.0.0.1\", 53))
print(\"ready\", flush=True)
while True: s.recvfrom(4096)
" > "$fifo" &
  server=$!
  read -r ready < "$fifo"
  rm -f "$fifo"
  [ "$ready" = ready ] || { echo "DNS sink did not start" >&2; exit 4; }
  "$@"
  rc=$?
  kill "$server"
  exit $rc
' dead-dns "$@"
