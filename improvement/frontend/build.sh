#!/usr/bin/env bash
# Rebuild the committed assets in improvement/static/ from the pinned npm packages.
# Safe to run again: it rewrites the same files from the same inputs.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
static=../static
govuk=node_modules/govuk-frontend/dist/govuk
mkdir -p "$static/css" "$static/govuk" "$static/plotly" "$static/js"

# GOV.UK Frontend (Arial, no crown or crest) and our additions, in one stylesheet.
npx sass --style=compressed --no-source-map --quiet-deps scss/app.scss "$static/css/app.min.css"

# GOV.UK Frontend's JavaScript (an ES module; static/js/app.js imports it). Its assets folder is not
# copied: the fonts are GDS Transport, the images are the crown, crest and GOV.UK icons, and the
# stylesheet above references none of them.
cp "$govuk/govuk-frontend.min.js" "$static/govuk/"
rm -rf "$static/govuk/assets"

# plotly.js (scatter, bar and pie only) and its stylesheet as a file, for a CSP without 'unsafe-inline'.
cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js "$static/plotly/"
# plotly's default topojsonURL points at its CDN. Only map traces use it, and the basic bundle has
# none; point it at the app anyway, so the bundle names no outside host (closed networks).
sed -i "s#https://[c]dn\\.plot\\.ly/un/#/static/plotly/topojson/#" "$static/plotly/plotly-basic.min.js"
node plotly-css.cjs "$static/plotly/plotly-basic.min.js" > "$static/plotly/plotly.css"
