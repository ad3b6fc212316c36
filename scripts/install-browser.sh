#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (test tools cannot download browsers here).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "chromium is missing: run 'sudo apt-get install -y chromium'" >&2; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
chromium --version
