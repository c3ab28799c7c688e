#!/usr/bin/env bash
# Installs the real peers the tests talk to (Net-SNMP agents and tools, fping, InfluxDB,
# Chromium; ping for the fallback ICMP engine's tests; python3, ip, sysctl and unshare for the ICMP tests' private network namespaces)
# on a Debian-like machine when they are missing. A peer that is still missing afterwards
# fails the run with a clear message: tests never skip for want of a peer.
set -u
need=()
for spec in snmpd:/usr/sbin/snmpd snmp:/usr/bin/snmpbulkwalk snmptrapd:/usr/sbin/snmptrapd \
            fping:/usr/bin/fping influxdb:/usr/bin/influxd chromium:/usr/bin/chromium \
            python3:/usr/bin/python3 iproute2:/usr/sbin/ip procps:/usr/sbin/sysctl util-linux:/usr/bin/unshare \
            iputils-ping:/usr/bin/ping; do
  pkg=${spec%%:*}; path=${spec#*:}
  [ -x "$path" ] || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-peers: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 || true
fi
missing=()
for path in /usr/sbin/snmpd /usr/bin/snmpbulkwalk /usr/bin/snmpwalk /usr/bin/snmptrap /usr/sbin/snmptrapd /usr/bin/snmptranslate /usr/bin/fping /usr/bin/influxd /usr/bin/chromium /usr/bin/python3 /usr/sbin/ip /usr/sbin/sysctl /usr/bin/unshare /usr/bin/ping; do
  [ -x "$path" ] || missing+=("$path")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-peers: FAILED: missing ${missing[*]} (apt-get install -y snmpd snmp snmptrapd fping influxdb chromium python3 iproute2 procps util-linux iputils-ping)" >&2
  exit 1
fi
# Debian starts a system snmpd/snmptrapd/influxd on install where an init system runs;
# tests use their own instances on loopback high ports, so the system ones do no harm.
exit 0
