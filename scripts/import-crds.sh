#!/usr/bin/env bash
# Regenerates imports/ (typed Argo CD constructs) from the Argo CD CRDs, offline.
# Usage: npm run import [-- <folder with application-crd.yaml, applicationset-crd.yaml, appproject-crd.yaml>]
# IMPORT_OUTPUT names another output folder than imports/ (a test compares the two).
# The folder defaults to data/crds/argocd, the committed copy of the CRDs (npm run refresh:vendor
# refreshes it from ../shared).
# `cdk8s import` keeps only the last document of a multi-document file unless documents are
# separated by `---`, so the three CRDs are joined explicitly. It also records every import in
# the cdk8s.yaml of the folder it runs in, so it runs in a scratch folder: the project's
# cdk8s.yaml stays as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)
crds=$(realpath -m "${1:-data/crds/argocd}")
output=$(realpath -m "${IMPORT_OUTPUT:-imports}")
missing=()
for kind in application applicationset appproject; do
  [ -f "$crds/$kind-crd.yaml" ] || missing+=("$crds/$kind-crd.yaml")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "npm run import needs the Argo CD CRDs application-crd.yaml, applicationset-crd.yaml and appproject-crd.yaml;" >&2
  echo "missing: ${missing[*]}" >&2
  echo "They are in the Argo CD repository under manifests/crds/ (https://github.com/argoproj/argo-cd/tree/v3.5.1/manifests/crds):" >&2
  echo "download them into a folder and run: npm run import -- <folder>" >&2
  exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
{
  cat "$crds/application-crd.yaml"
  for kind in applicationset appproject; do
    echo '---'
    cat "$crds/$kind-crd.yaml"
  done
} > "$scratch/argocd.yaml"
cd "$scratch"
"$project/node_modules/.bin/cdk8s" import --no-check-upgrade "argocd:=$scratch/argocd.yaml" --output "$output" --language typescript
