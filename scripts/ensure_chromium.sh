#!/bin/sh
# Make sure Debian's headless-capable Chromium is installed (for the browser end-to-end test).
# Idempotent and quiet: does nothing when /usr/bin/chromium exists; needs root (or sudo) and apt.
set -eu

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "ensure_chromium: $CHROMIUM is missing and installing it needs root (or sudo)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: $CHROMIUM is missing and there is no apt-get to install it" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure_chromium: installed, but $CHROMIUM is still missing" >&2; exit 1; }
