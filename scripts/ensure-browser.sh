#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser).
# Playwright drives that binary; never run `playwright install`, which downloads its own browser.
# Does nothing when Chromium is there; otherwise installs the Debian package as root (or through
# passwordless sudo) and fails with instructions when it cannot.
set -euo pipefail

chromium=/usr/bin/chromium
[ -x "$chromium" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  cat >&2 <<EOF
$chromium is missing, and installing it needs root.
Install Debian's Chromium once:   sudo apt-get install chromium
or run the suite without the browser tests:   .venv/bin/pytest -m "not browser"
EOF
  exit 1
fi

echo "Installing Debian's chromium for the browser tests..." >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
[ -x "$chromium" ] || { echo "apt-get installed chromium but $chromium is still missing." >&2; exit 1; }
"$chromium" --version >&2
