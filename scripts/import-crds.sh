#!/usr/bin/env bash
# Regenerates imports/ (typed Argo CD constructs) from the Argo CD CRDs, offline.
# Usage: npm run import [-- <folder with application-crd.yaml, applicationset-crd.yaml, appproject-crd.yaml>]
# `cdk8s import` keeps only the last document of a multi-document file unless documents are
# separated by `---`, so the three CRDs are joined explicitly.
set -euo pipefail
cd "$(dirname "$0")/.."
crds=${1:-../shared/crds/argocd}
joined=$(mktemp -d)
trap 'rm -rf "$joined"' EXIT
{
  cat "$crds/application-crd.yaml"
  for kind in applicationset appproject; do
    echo '---'
    cat "$crds/$kind-crd.yaml"
  done
} > "$joined/argocd.yaml"
npx cdk8s import --no-check-upgrade "argocd:=$joined/argocd.yaml" --output imports --language typescript
