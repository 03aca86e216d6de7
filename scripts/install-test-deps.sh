#!/usr/bin/env bash
# Installs the Debian packages the tests use as real peers and browser:
# socat (PTY pairs), lrzsz (YMODEM), fastboot, bsdiff/bspatch, bzip2, xdelta3, zstd,
# Chromium (Playwright drives it). Run as root (or through sudo).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  socat lrzsz fastboot bsdiff bzip2 xdelta3 zstd chromium fonts-noto-cjk ca-certificates
