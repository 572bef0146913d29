#!/usr/bin/env bash
# Copies the reference inputs the project needs offline from a shared folder (default
# ../shared) into data/, where they are committed: the Argo CD CRDs (data/crds/argocd/), which
# npm run import and npm run refresh:argocd-schemas read. Then run those two and npm test.
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
