#!/usr/bin/env bash
# The Debian packages, installed and run with the source and build trees gone: builds them with
# cpack, unpacks them into a scratch root and, in a private mount namespace where both trees are
# hidden under empty tmpfs mounts, runs the kiosk's demo screenshot, `enroll`, and the hub's
# `add-fair`, `import-listings`, `report` and `badges` from the installed tree. A program that
# still reads the source tree shows raw message keys or fails here.
# Usage: test_install.sh SOURCE_DIR BUILD_DIR   (as root: it mounts; needs $DISPLAY for the demo)
set -euo pipefail
src=$(realpath "$1")
build=$(realpath "$2")
[[ $(id -u) -eq 0 ]] || { echo "test_install: must run as root (it mounts tmpfs in a private namespace)"; exit 1; }
[[ -n "${DISPLAY:-}" ]] || { echo "test_install: needs \$DISPLAY (Xvfb) for the demo screenshot"; exit 1; }
scratch=$(mktemp -d /tmp/jf-install.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

fail() { echo "test_install: $*"; exit 1; }

# 1. The packages.
if ! cpack --config "$build/CPackConfig.cmake" -B "$scratch/pkg" >"$scratch/cpack.log" 2>&1; then
  cat "$scratch/cpack.log"; fail "cpack failed"
fi
for p in common kiosk hub; do
  deb=$(ls "$scratch"/pkg/jobfair-${p}_*.deb 2>/dev/null | head -1)
  [[ -n "$deb" ]] || fail "no jobfair-$p package in $(ls "$scratch/pkg")"
  dpkg-deb -x "$deb" "$scratch/root"
  echo "$(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
done
dpkg-deb -f "$scratch"/pkg/jobfair-kiosk_*.deb Depends | grep -q libglfw3 \
  || fail "jobfair-kiosk does not depend on the libraries it links (libglfw3)"
for f in usr/bin/jobfair-kiosk usr/bin/jobfair-hub usr/share/jobfair/assets/i18n/zh_CN.json \
         usr/share/jobfair/sample-listings.csv usr/lib/systemd/system/jobfair-hub.service \
         usr/lib/systemd/user/jobfair-kiosk.service usr/share/doc/jobfair/README.md; do
  [[ -e "$scratch/root/$f" ]] || fail "package lacks /$f"
done
grep -q '^ExecStart=/usr/bin/jobfair-hub ' "$scratch/root/usr/lib/systemd/system/jobfair-hub.service" \
  || fail "the packaged hub unit does not start /usr/bin/jobfair-hub"

# 2. The installed programs, with the source and build trees hidden.
hide="mount -t tmpfs tmpfs '$src'"
[[ "$build" == "$src"/* ]] || hide="$hide && mount -t tmpfs tmpfs '$build'"
unshare --mount --propagation private env -u JF_ASSETS_DIR S="$scratch" bash -euo pipefail -c "
$hide
[[ ! -e '$src/assets' ]] || { echo 'source tree still visible'; exit 1; }
R=\$S/root/usr; K=\$R/bin/jobfair-kiosk; H=\$R/bin/jobfair-hub
no_keys() { if grep -E '(^|[^a-z_])(sync|store|forms|ui|admin|desk|scan|print)\\.[a-z_]+\\.[a-z_.]+' \"\$1\"; then echo \"raw message key in the output of \$2\"; exit 1; fi; }

\$K --demo --data-dir \$S/kiosk-demo --windowed 1280x800 --lang en --screenshot \$S/demo.png \
   --frames 5 >\$S/demo.log 2>&1 || { cat \$S/demo.log; echo 'demo screenshot failed'; exit 1; }
[[ \$(stat -c %s \$S/demo.png) -gt 20000 ]] || { echo 'demo screenshot is empty'; exit 1; }
no_keys \$S/demo.log 'the demo'

set +e
\$K enroll --data-dir \$S/kiosk --qr-text not-an-enrolment-code --lang en >\$S/enroll.log 2>&1
st=\$?
set -e
cat \$S/enroll.log
[[ \$st -eq 2 ]] || { echo \"enroll with a bad code: status \$st, expected 2\"; exit 1; }
no_keys \$S/enroll.log 'enroll'

\$H add-fair --id F-INST --name 安装测试招聘会 --date 20240223 --unit 无为市 --data-dir \$S/hub >\$S/hub.log 2>&1
\$H import-listings \$R/share/jobfair/sample-listings.csv --unit 无为市 --data-dir \$S/hub >>\$S/hub.log 2>&1
\$H report summary --union 无为市 --week 2024-W08 --out \$S/summary.xlsx --data-dir \$S/hub >>\$S/hub.log 2>&1
[[ -s \$S/summary.xlsx ]] || { cat \$S/hub.log; echo 'report wrote nothing'; exit 1; }
printf 'id,name\nINST-001,张三\nINST-002,李四\n' >\$S/people.csv
\$H badges --key \$R/share/jobfair/assets/demo/DEMO-ONLY-issuer.key --csv \$S/people.csv \
   --fair F-INST --out \$S/badges.pdf >>\$S/hub.log 2>&1
[[ -s \$S/badges.pdf ]] || { cat \$S/hub.log; echo 'badges wrote nothing'; exit 1; }
pdftoppm -r 300 -gray -png -singlefile \$S/badges.pdf \$S/badges-1
cat \$S/hub.log
no_keys \$S/hub.log 'the hub commands'
\$K decode \$S/badges-1.png >\$S/decode.log 2>&1 || true
grep -q "JF1:" \$S/decode.log || { cat \$S/decode.log; echo 'the installed kiosk cannot read the installed hub badge'; exit 1; }
echo 'installed tree works without the source tree'
"
