#!/usr/bin/env bash
# Set up everything diaspora-book needs on a Debian machine: system packages
# (fonts with full script coverage, poppler/qpdf for the tests, Java for EPUBCheck,
# Chromium and Node for Ace by DAISY, Pango for WeasyPrint), a virtual environment
# with the package installed, and Ace in .tools/.
# Idempotent and quick when nothing is missing, so `make book` / `make test` can
# call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  fonts-noto-core fonts-noto-cjk      # Latin/Cyrillic/Arabic/Hangul + Han glyphs
  fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint
  poppler-utils qpdf                  # pdftotext/pdffonts/pdftoppm, qpdf --check
  libicu-dev pkg-config               # PyICU compiles against ICU (PyPI has no wheel)
  hunspell hunspell-ru hunspell-de-de hunspell-tr hunspell-fr  # book lexicons
)
command -v java >/dev/null 2>&1 || APT_PACKAGES+=(default-jre-headless)  # EPUBCheck
APT_PACKAGES+=(chromium)                                                   # Ace by DAISY
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)              # Ace by DAISY

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the package metadata changed.
stamp=.venv/.diaspora-book-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
# The package is installed editable, and pip compiles only the files it copies.
# Compile ours (again only what changed since): where PYTHONDONTWRITEBYTECODE is
# set, Python would otherwise compile some 130 modules from source in every
# process the pipeline and the tests start, 0.25 s each time here.
.venv/bin/python -m compileall -q src bench tests
# Ace by DAISY (the EPUB accessibility checker the tests run), pinned by
# .tools/package-lock.json. Puppeteer's own browser download is skipped: the tests
# drive Debian's Chromium through scripts/chromium-headless.
if [ ! -x .tools/node_modules/.bin/ace-cli ] || [ .tools/package-lock.json -nt .tools/node_modules/.bin/ace-cli ]; then
  echo "setup: installing Ace by DAISY into .tools/"
  (cd .tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch .tools/node_modules/.bin/ace-cli
fi
