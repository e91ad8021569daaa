#!/usr/bin/env bash
# Installs the Debian packages lawgov needs beyond Python: CJK fonts and HarfBuzz subsetting for
# WeasyPrint (without libharfbuzz-subset0 PDF rendering is ~4x slower), poppler-utils (pdftotext in
# tests), Chromium for browser tests and the PDF benchmark peer, libcairo2 (cairosvg: charts as
# pictures in the Word files). Idempotent: does nothing when all
# are present. Fonts come from Debian, never from the internet at run time (intranets are offline).
set -euo pipefail

packages=(fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libcairo2
          poppler-utils chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
fandol_dir=/usr/local/share/fonts/fandol
need_fandol=0
[ -f "$fandol_dir/FandolFang-Regular.otf" ] || need_fandol=1

if [ ${#missing[@]} -eq 0 ] && [ $need_fandol -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "缺少系统软件包: ${missing[*]} ${need_fandol:+FandolFang}" >&2
  echo "请以 root 身份运行 scripts/install-system-deps.sh（PDF 报告需要中文字体）。" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $need_fandol -eq 1 ]; then
  # Only the Fandol OTFs are taken out of texlive-lang-chinese: the full package drags in ~262 MB of TeX.
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null)
  $SUDO mkdir -p "$fandol_dir"
  dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb \
    | $SUDO tar -x -C "$fandol_dir" --strip-components=9 --wildcards \
      './usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol[FHKS]*.otf'
  rm -rf "$tmp"
fi
$SUDO fc-cache -f >/dev/null
