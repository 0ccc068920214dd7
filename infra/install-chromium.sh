#!/usr/bin/env bash
# The dashboard's browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
# Installs it when /usr/bin/chromium is missing; the test command runs this first, as root.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "Installing Chromium (Debian's package) for the dashboard's browser tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium
