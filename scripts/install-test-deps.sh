#!/usr/bin/env bash
# Installs the real parts the test suite drives: Debian's Chromium (driven by playwright-core) and
# CJK fonts so the wall's Chinese text renders in screenshots. Idempotent; needs root (CI is root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "installing test dependencies: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
