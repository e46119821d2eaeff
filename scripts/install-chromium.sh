#!/bin/sh
# Debian's Chromium for the browser tests (Playwright drives it; `playwright install` is not
# used because it downloads browsers from outside the package archive). Idempotent.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
$SUDO apt-get install -y chromium
