#!/bin/sh
# Make src/diaspora_book/styles/print-cmyk.icc, the CMYK output intent of the PDF/X
# files for IngramSpark, from Debian's icc-profiles-free FOGRA39L measurement data
# (Zlib licence) with ArgyllCMS's colprof. The profile is committed, so a build
# needs neither package; run this only to make it again (see README, "For a print-on-demand shop").
set -eu
sudo_apt() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v colprof >/dev/null || sudo_apt apt-get install -y argyll
[ -f /usr/share/color/icc/FOGRA39L.ti3 ] || sudo_apt apt-get install -y icc-profiles-free
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
cd "$work"
# -qm: medium quality; -kr: black generation for a press; -l240: IngramSpark's 240 % ink limit;
# -L95: black ink limit.
colprof -qm -kr -l240 -L95 \
  -D "FOGRA39L coated (icc-profiles-free data), 240% TAC" \
  -C "Made by ArgyllCMS colprof from FOGRA39L.ti3 (Debian icc-profiles-free, Zlib licence)" \
  -O print-cmyk.icc FOGRA39L
cd - >/dev/null
cp "$work/print-cmyk.icc" src/diaspora_book/styles/print-cmyk.icc
