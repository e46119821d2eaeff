#!/bin/sh
# What the test suite needs outside Python, from Debian's packages: PostgreSQL (the ledger
# runs on it as well as SQLite) and Chromium (Playwright drives it in the browser tests).
# Each is installed only if missing; the tests start and stop their own PostgreSQL server.
set -eu
here="$(dirname "$0")"
sh "$here/install-postgresql.sh"
sh "$here/install-chromium.sh"
