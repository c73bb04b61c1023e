#!/usr/bin/env bash
# Renders the state icons from src/*.svg into PNGs for the qrc (Qt's SVG module is not a dependency).
# Run after editing an SVG: resources/icons/state/render.sh (needs rsvg-convert from librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")"
for svg in src/*.svg; do
    name=$(basename "$svg" .svg)
    for size in 16 32 64 128; do
        rsvg-convert -w "$size" -h "$size" "$svg" -o "$name-$size.png"
    done
done
