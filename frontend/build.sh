#!/bin/sh
# Rebuilds Polku's vendored design system into static/polku/ from the exact
# versions pinned in package-lock.json. Needs Node and npm at build time only;
# the compiled output is committed, so running Polku never needs Node.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../static/polku"
modules="$here/node_modules"

cd "$here"
# No package needs an install script to build the stylesheet.
npm ci --no-audit --no-fund --ignore-scripts

rm -rf "$out"
mkdir -p "$out/css" "$out/js" "$out/fonts" "$out/images" "$out/licences"

"$modules/.bin/sass" --pkg-importer=node --style=compressed --no-source-map \
  scss/polku.scss "$out/css/polku.min.css"

cp "$modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" \
  "$modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map" "$out/js/"
cp "$modules/htmx.org/dist/htmx.min.js" "$out/js/"

for weight in 400 700; do
  for subset in latin latin-ext; do
    cp "$modules/@fontsource/source-sans-3/files/source-sans-3-$subset-$weight-normal.woff2" "$out/fonts/"
  done
done

cp images/*.svg "$out/images/"

cp "$modules/@fontsource/source-sans-3/LICENSE" "$out/licences/source-sans-3-OFL.txt"
cp "$modules/htmx.org/LICENSE" "$out/licences/htmx-BSD-0.txt"
cp licences/govuk-frontend-MIT.txt "$out/licences/"

# Every url() in the stylesheet must point at a file that exists, or
# collectstatic's hashed storage refuses to build.
missing=0
for ref in $(grep -o 'url([^)]*)' "$out/css/polku.min.css" | sed -e 's/^url(//' -e 's/)$//' -e 's/^"//' -e 's/"$//' | grep -v '^data:' | sort -u); do
  if [ ! -f "$out/css/$ref" ]; then
    echo "Missing asset referenced by polku.min.css: $ref" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ]

echo "Built $(cd "$out" && find . -type f | wc -l) files into static/polku/"
