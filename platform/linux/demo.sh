#!/usr/bin/env bash
# Installs the Debian packages, builds, and starts the kiosk on its embedded demo data.
# Extra arguments go to jobfair-kiosk (e.g. --windowed 1280x800 --lang en).
set -euo pipefail
cd "$(dirname "$0")/../.."
platform/linux/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)" --target jobfair-kiosk
data="${JF_DATA_DIR:-$HOME/.local/share/jobfair-kiosk-demo}"
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "No display: starting under Xvfb and saving a screenshot to demo.png instead."
  exec xvfb-run -a -s "-screen 0 1920x1080x24" build/kiosk/app/jobfair-kiosk --demo --data-dir "$data" --screenshot demo.png --frames 10 "$@"
fi
exec build/kiosk/app/jobfair-kiosk --demo --data-dir "$data" "$@"
