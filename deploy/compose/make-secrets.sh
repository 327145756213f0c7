#!/bin/sh
# Makes the secret files compose.yaml mounts (./secrets, git-ignored), once.
set -eu
cd "$(dirname "$0")"
[ -d secrets ] && { echo "secrets/ exists: remove it to make new ones"; exit 1; }
umask 077
mkdir secrets
rand() { head -c 24 /dev/urandom | base64 | tr -d '/+=' ; }
pg=$(rand); minio=$(rand)
printf '%s' "$pg" > secrets/POSTGRES_PASSWORD
printf 'POSTGRES_PWD=%s\n' "$pg" > secrets/temporal.env
printf 'postgresql+asyncpg://irx:%s@postgresql:5432/irx' "$pg" > secrets/DATABASE_URL
printf 'redis://redis:6379/0' > secrets/IRX_REDIS_URL
printf 'k1:%s' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" > secrets/IRX_SECRET_KEYS
printf 'irx' > secrets/MINIO_ROOT_USER
printf '%s' "$minio" > secrets/MINIO_ROOT_PASSWORD
printf '[default]\naws_access_key_id = irx\naws_secret_access_key = %s\n' "$minio" > secrets/aws-credentials
printf '%s' "$(rand)" > secrets/GRAFANA_ADMIN_PASSWORD
echo "secrets written to $(pwd)/secrets (Grafana admin password: secrets/GRAFANA_ADMIN_PASSWORD)"
