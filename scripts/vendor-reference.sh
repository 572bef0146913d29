#!/usr/bin/env bash
# Copies the reference inputs the project needs offline from a shared folder (default
# ../shared) into data/, where they are committed: the Argo CD CRDs (data/crds/argocd/), which
# npm run import and npm run refresh:argocd-schemas read, and the pinned charts
# (data/charts/archives/<chart>-<version>.tgz), which the tests and npm run check render with
# helm exactly as the Applications would. Then run those, npm run refresh:charts, and npm test.
# Usage: npm run refresh:vendor [-- <shared folder>]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
if [ ! -d "$shared/crds/argocd" ]; then
  echo "$shared/crds/argocd does not exist: name the folder that holds crds/argocd/*.yaml" >&2
  exit 1
fi
mkdir -p data/crds/argocd
for kind in application applicationset appproject; do
  install -m 644 "$shared/crds/argocd/$kind-crd.yaml" "data/crds/argocd/$kind-crd.yaml"
  echo "copied data/crds/argocd/$kind-crd.yaml"
done
if [ ! -d "$shared/charts/archives" ]; then
  echo "$shared/charts/archives does not exist: name the folder that holds charts/archives/*.tgz" >&2
  exit 1
fi
mkdir -p data/charts/archives
for archive in "$shared"/charts/archives/*.tgz; do
  install -m 644 "$archive" "data/charts/archives/$(basename "$archive")"
  echo "copied data/charts/archives/$(basename "$archive")"
done
