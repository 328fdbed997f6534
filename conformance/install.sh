#!/usr/bin/env bash
# Installs the pinned reference clients once; reinstalls only when package-lock.json changes.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.linkwell-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
