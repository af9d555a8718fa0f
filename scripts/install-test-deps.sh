#!/usr/bin/env bash
# Installs the real parts the test suite drives: Debian's Chromium (driven by playwright-core), CJK
# fonts so the wall's Chinese text renders in screenshots, and Debian's clickhouse-server/-client
# (18.16) for the HTTP-transport leg, redis-server for several nodes, nginx for the reverse-proxy example, and poppler-utils to read
# the printed posters back (`npm run codes`: pdfinfo, pdffonts, pdftotext, pdftoppm). Idempotent;
# needs root (CI is root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# The packaged binary lives in /usr/sbin, which is not on every PATH.
[ -x /usr/sbin/clickhouse-server ] || command -v clickhouse-server >/dev/null 2>&1 || need+=(clickhouse-server)
command -v clickhouse-client >/dev/null 2>&1 || need+=(clickhouse-client)
# Redis is what several server nodes share (tests/helpers/redis.ts starts one per test on a free port).
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# nginx runs the README's reverse-proxy example in front of the server (tests/integration/nginx-proxy.test.ts).
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "installing test dependencies: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

# clickhouse-server's postinst starts the system service (invoke-rc.d), which would hold ports
# 8123/9000 that the tests' private instance needs, and fails the install when it cannot start.
# A policy-rc.d answering 101 ("action forbidden") stops that; Docker images usually ship one, so
# it is only added (and removed again) when absent.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ " ${need[*]} " =~ " "(clickhouse-server|nginx-light|redis-server)" " ]] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  added_policy=1
fi
cleanup() { if [ "$added_policy" = 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

$SUDO apt-get update -qq
# (debconf's "delaying package configuration, since apt-utils is not installed" is noise.)
$SUDO apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef \
  -o Dpkg::Options::=--force-confold "${need[@]}" >/dev/null 2> >(grep -v '^debconf: delaying' >&2)

# On a systemd host the unit was still enabled for boot: disable it (the tests run their own).
if [[ " ${need[*]} " == *" clickhouse-server "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now clickhouse-server.service >/dev/null 2>&1 || true
fi
if [[ " ${need[*]} " == *" nginx-light "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now nginx.service >/dev/null 2>&1 || true
fi
if [[ " ${need[*]} " == *" redis-server "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now redis-server.service >/dev/null 2>&1 || true
fi
