#!/usr/bin/env bash
# Refresh the NL Design System CSS and the theme's fonts in static/vendor/ from the npm registry.
#
# The platform serves plain CSS and needs no Node at run time: this script is the only place npm is
# used, by a developer, and its output is committed. Each package is pinned to a version and to the
# registry's sha512 integrity, so an upgrade is a deliberate edit of the two tables below.
# Usage: make vendor-static   (or scripts/vendor_static.sh); needs npm, openssl and tar.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"

# Pinned versions and the registry's sha512 integrity (`npm view <name>@<version> dist.integrity`).
declare -A VERSION=(
  ["@utrecht/component-library-css"]="9.0.4"
  ["@nl-design-system-unstable/voorbeeld-design-tokens"]="7.4.1"
  ["@fontsource/noto-sans"]="5.3.0"
  ["@fontsource/noto-serif"]="5.3.0"
  ["htmx.org"]="2.0.11"
)
declare -A INTEGRITY=(
  ["@utrecht/component-library-css"]="sha512-gVA7D6GfP9/+fzehkYLSBR+0UPUTA97PZmgvTYQE88lPQhHGMlUk8FjmCpLKRsRC9hAYd32JuF/KzG6fmBfjJA=="
  ["@nl-design-system-unstable/voorbeeld-design-tokens"]="sha512-GNnapAn2mTIzXRcCvs0JMr4Bf9+ivUJ3zFBJLRT1SYpAYm2xPwptVxIM3k4WLJ0c59E9FfxsEBPJluGuAHUVvg=="
  ["@fontsource/noto-sans"]="sha512-fBCog2PY7DiVVTEEqtI/Qdinx/knobHYfoGpjFXdfBX5RoJaBp1Prw2G75p0OIsdlMZg3cLo0c+YbIUYOxnQJw=="
  ["@fontsource/noto-serif"]="sha512-ZrMzjuQlBIcw+qma1slZQdU3YDJvrjLG+9CWU1bxSf3YTkucwqd3EYa/Kfo4Ts19w8IMTGAmtOE3d6wWlgnBtA=="
  ["htmx.org"]="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
)

for tool in npm openssl tar; do
  command -v "$tool" >/dev/null || { echo "vendor_static: $tool is needed to refresh static/vendor (not to run the site)." >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch NAME: download the pinned tarball, check its integrity, unpack it; prints the package folder.
fetch() {
  local name="$1" tarball actual folder
  tarball="$(cd "$WORK" && npm pack --silent "$name@${VERSION[$name]}" 2>/dev/null | tail -n 1)"
  actual="sha512-$(openssl dgst -sha512 -binary "$WORK/$tarball" | openssl base64 -A)"
  if [[ "$actual" != "${INTEGRITY[$name]}" ]]; then
    echo "vendor_static: integrity mismatch for $name@${VERSION[$name]}: expected ${INTEGRITY[$name]}, got $actual" >&2
    exit 1
  fi
  folder="$WORK/${tarball%.tgz}"
  mkdir -p "$folder"
  tar -xzf "$WORK/$tarball" -C "$folder"
  echo "$folder/package"
}

# Build into a scratch folder and swap it in at the end, so a failed refresh leaves the old files.
OUT="$WORK/vendor"
mkdir -p "$OUT"

# 1. The Utrecht community component library: white-label CSS components with BEM class names
#    (utrecht-button, utrecht-page-header, ...), styled entirely by design tokens.
src="$(fetch "@utrecht/component-library-css")"
dest="$OUT/utrecht-component-library-css"
mkdir -p "$dest"
cp "$src/dist/index.css" "$dest/index.css"
cp "$src/LICENSE.md" "$dest/LICENSE.md"

# 2. NL Design System's example theme "Voorbeeld": the design tokens (CSS custom properties) under
#    the `voorbeeld-theme` class that give the white-label components their look.
src="$(fetch "@nl-design-system-unstable/voorbeeld-design-tokens")"
dest="$OUT/voorbeeld-design-tokens"
mkdir -p "$dest"
cp "$src/dist/theme.css" "$dest/theme.css"
cp "$src/LICENSE.md" "$dest/LICENSE.md"

# 3. The theme's fonts, Noto Sans (text) and Noto Serif (headings), in one fonts.css: only the Latin
#    subset (enough for Dutch and English) in the styles the theme uses, and only woff2. The woff
#    fallbacks are cut from the @font-face rules: every browser the site supports reads woff2, and
#    collectstatic's manifest storage fails on a url() to a file that is not there.
dest="$OUT/fonts"
mkdir -p "$dest/files"
: >"$dest/fonts.css"
# add_font SLUG CSS:STYLE...   e.g. add_font noto-sans 400:400-normal 400-italic:400-italic
add_font() {
  local slug="$1" variant css file src
  shift
  src="$(fetch "@fontsource/$slug")"
  for variant in "$@"; do
    css="${variant%%:*}"
    file="$slug-latin-${variant##*:}.woff2"
    cp "$src/files/$file" "$dest/files/$file"
    sed -E "s#, url\(\./files/[^)]*\.woff\) format\('woff'\)##" "$src/latin-$css.css" >>"$dest/fonts.css"
    echo >>"$dest/fonts.css"
  done
  cp "$src/LICENSE" "$dest/LICENSE-$slug"
}
add_font noto-sans 400:400-normal 400-italic:400-italic 700:700-normal
add_font noto-serif 700:700-normal
if grep -q '\.woff)' "$dest/fonts.css"; then
  echo "vendor_static: fonts.css still refers to .woff files; the upstream CSS changed." >&2
  exit 1
fi

# 4. htmx, which updates the initiative list in place; every page works without it.
src="$(fetch "htmx.org")"
dest="$OUT/htmx"
mkdir -p "$dest"
cp "$src/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$src/LICENSE" "$dest/LICENSE"
cp "$ROOT/static/vendor/htmx/README.md" "$dest/README.md"

cat >"$OUT/README.md" <<EOF
# Vendored front-end assets

Plain CSS, the theme's fonts and htmx from the npm registry, committed so the platform needs no Node or
JavaScript build at run time. Do not edit these files: refresh them with \`make vendor-static\`
(\`scripts/vendor_static.sh\`, which needs \`npm\`, \`openssl\` and \`tar\`). To upgrade a package,
change its pinned version and integrity in that script (\`npm view <package>@<version> dist.integrity\`),
run it, look at the pages, and run the browser tests (\`tests/browser/\`, axe WCAG 2.1 AA checks).

| folder | package | version | licence | files kept |
|---|---|---|---|---|
| \`utrecht-component-library-css/\` | [\`@utrecht/component-library-css\`](https://www.npmjs.com/package/@utrecht/component-library-css) | ${VERSION["@utrecht/component-library-css"]} | EUPL-1.2 (\`LICENSE.md\`) | \`dist/index.css\` as \`index.css\` |
| \`voorbeeld-design-tokens/\` | [\`@nl-design-system-unstable/voorbeeld-design-tokens\`](https://www.npmjs.com/package/@nl-design-system-unstable/voorbeeld-design-tokens) | ${VERSION["@nl-design-system-unstable/voorbeeld-design-tokens"]} | EUPL-1.2 (\`LICENSE.md\`) | \`dist/theme.css\` as \`theme.css\` |
| \`fonts/\` | [\`@fontsource/noto-sans\`](https://www.npmjs.com/package/@fontsource/noto-sans) | ${VERSION["@fontsource/noto-sans"]} | OFL-1.1 (\`LICENSE-noto-sans\`) | Latin woff2: 400, 400 italic, 700 |
| \`fonts/\` | [\`@fontsource/noto-serif\`](https://www.npmjs.com/package/@fontsource/noto-serif) | ${VERSION["@fontsource/noto-serif"]} | OFL-1.1 (\`LICENSE-noto-serif\`) | Latin woff2: 700 (headings) |
| \`htmx/\` | [\`htmx.org\`](https://www.npmjs.com/package/htmx.org) | ${VERSION["htmx.org"]} | 0BSD (\`LICENSE\`) | \`dist/htmx.min.js\` |

\`fonts/fonts.css\` is the packages' \`latin-*.css\` for those styles, without the woff fallbacks.

The components are the white-label NL Design System components of the Utrecht community library;
the theme is NL Design System's own example theme ("Voorbeeld"), open source (EUPL-1.2) and not one
municipality's house style. \`@utrecht/design-tokens\` is deliberately not used: those tokens are
Gemeente Utrecht's proprietary house style ("all rights reserved", see its LICENSE.md).

\`templates/base.html\` loads the files in this order: fonts, theme, components, then the platform's
own \`static/css/samenorg.css\` (which maps a few theme tokens the components read and does the
layout), and puts the \`voorbeeld-theme\` class on \`<html>\`.
EOF

rm -rf "$VENDOR"
mv "$OUT" "$VENDOR"
echo "vendor_static: refreshed ${VENDOR#"$ROOT"/}"
