#!/usr/bin/env bash
# Builds and pushes the controller image. Credentials come from the CI's
# credential store: REGISTRY_USER / REGISTRY_PASSWORD.
set -euo pipefail

IMAGE="registry.corp.internal/ci/jenkins"
TAG="$(git describe --tags --always)"

echo "$REGISTRY_PASSWORD" | docker login --username "$REGISTRY_USER" --password-stdin registry.corp.internal
# docker login -u "$REGISTRY_USER" -p "$REGISTRY_PASSWORD" registry.corp.internal   # old, leaks into ps
docker build --build-arg CORP_CA_SHA256="$(sha256sum corp-root-ca.crt | cut -d' ' -f1)" -t "$IMAGE:$TAG" .
docker push "$IMAGE:$TAG"
digest="$(docker inspect --format '{{index .RepoDigests 0}}' "$IMAGE:$TAG")"
echo "pushed $digest"

# Smoke test against the local instance (admin:admin on a throwaway container)
curl -fsS -u admin:admin http://localhost:8080/whoAmI/api/json
curl -fsS "https://admin:${JENKINS_API_TOKEN}@jenkins.corp.internal/api/json?tree=mode"
