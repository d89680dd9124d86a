#!/usr/bin/env bash
# Rebuild the committed assets in improvement/static/ from the pinned npm packages.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
static=../static
mkdir -p "$static/css" "$static/govuk/assets/images" "$static/plotly" "$static/js"
npx sass --style=compressed --no-source-map --quiet-deps scss/app.scss "$static/css/app.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$static/govuk/"
cp node_modules/govuk-frontend/dist/govuk/assets/manifest.json "$static/govuk/assets/"
cp node_modules/govuk-frontend/dist/govuk/assets/images/favicon.ico node_modules/govuk-frontend/dist/govuk/assets/images/favicon.svg "$static/govuk/assets/images/"
cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js "$static/plotly/"
