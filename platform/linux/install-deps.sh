#!/usr/bin/env bash
# Installs every Debian 12 package the kiosk, the hub and the tests need. Idempotent.
# Usage: platform/linux/install-deps.sh [--runtime-only]
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config git
  libimgui-dev libstb-dev libglfw3-dev libfreetype-dev libgl-dev
  libsqlite3-dev libpq-dev libcurl4-openssl-dev libssl-dev libsodium-dev
  libzxing-dev libjpeg62-turbo-dev libpng-dev libasound2-dev
  nlohmann-json3-dev libcpp-httplib-dev libspdlog-dev libfmt-dev
  libxlsxwriter-dev libfreexl-dev libzip-dev libexpat1-dev
  libgooglepinyin0-dev libzinnia-dev tegaki-zinnia-simplified-chinese
  catch2 clang libclang-rt-14-dev libx11-dev libxtst-dev libboost-dev
  libkainjow-mustache-dev libcairo2-dev libpango1.0-dev
)
runtime_pkgs=(
  fonts-noto-cjk libpangocairo-1.0-0 xvfb xauth libgl1-mesa-dri libasound2 libpq5 libjs-chart.js espeak-ng
  libgooglepinyin0 libzinnia0 tegaki-zinnia-simplified-chinese
)
test_pkgs=(
  libreoffice-calc-nogui xdotool poppler-utils
  chromium chromium-driver python3-selenium
  systemd postgresql haproxy
)

pkgs=("${runtime_pkgs[@]}")
[[ "${1:-}" == "--runtime-only" ]] || pkgs+=("${build_pkgs[@]}" "${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#pkgs[@]} packages already installed"
  exit 0
fi

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
