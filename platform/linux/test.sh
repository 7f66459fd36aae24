#!/usr/bin/env bash
# Installs the Debian packages, builds, and runs every test through ctest (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/../.."
platform/linux/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
# Screens and screenshot tests need a display; Xvfb gives one to the whole run.
if [[ -z "${DISPLAY:-}" ]]; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" ctest --test-dir build --output-on-failure -j"$(nproc)"
fi
exec ctest --test-dir build --output-on-failure -j"$(nproc)"
