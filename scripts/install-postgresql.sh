#!/bin/sh
# Install PostgreSQL's server binaries (for the ledger's PostgreSQL tests and benchmarks)
# if they are missing. Idempotent: does nothing when initdb is already there.
set -eu
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
    echo "PostgreSQL is installed: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -n 1)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql
