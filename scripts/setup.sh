#!/usr/bin/env bash
# One-step setup for a fresh Debian machine with Node and npm.
#   scripts/setup.sh          dependencies + build (for `npm start`)
#   scripts/setup.sh --test   also the system packages the tests drive for real
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--test" ]; then
  missing=()
  command -v blender  >/dev/null || missing+=(blender)
  command -v povray   >/dev/null || missing+=(povray)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v ffmpeg   >/dev/null || missing+=(ffmpeg)
  command -v oiiotool >/dev/null || missing+=(openimageio-tools)
  command -v slurmctld >/dev/null || missing+=(slurm-wlm)
  command -v munged   >/dev/null || missing+=(munge)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]} with apt"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# Electron's postinstall downloads its binary from the internet; where that host is out of reach
# the whole install would fail. Install without it, then try the download on its own.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm ci refuses lockfiles without every platform's optional rollup/esbuild entries (npm 11), so
  # install honours the lockfile instead of validating it strictly.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install --no-audit --no-fund --no-save
fi
if [ ! -f node_modules/electron/path.txt ]; then
  if timeout 180 node node_modules/electron/install.js >/dev/null 2>&1; then
    echo "setup: Electron's binary is installed (npm start opens the desktop app)"
  else
    echo "setup: Electron's binary could not be downloaded here; npm start will use browser mode instead"
  fi
fi

npm run build --silent
if [ -f vite.renderer.config.ts ]; then npm run build:renderer --silent; fi
echo "setup: done"
