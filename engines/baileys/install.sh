#!/usr/bin/env bash
# Installs the Baileys host's npm packages (pinned in package-lock.json) once; again only when the lock changes.
# The Maven build runs it (service module; -Dbaileys.skipInstall=true skips it). Without Node.js 20+ and npm it
# installs nothing and says so: the service then answers 503 for provider 'baileys', the native engine is
# unaffected, and the Baileys tests skip (or fail when CI is set, as CI must run them).
set -euo pipefail
cd "$(dirname "$0")"
missing() {
  echo "engines/baileys: $1; provider 'baileys' stays unavailable until Node.js 20+ and npm are installed and this script runs" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 0
}
command -v node >/dev/null 2>&1 || missing "node not found"
command -v npm >/dev/null 2>&1 || missing "npm not found"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -ge 20 ] || missing "Node.js $(node --version 2>/dev/null || echo '?') is older than 20"
stamp=node_modules/.linkwell-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
