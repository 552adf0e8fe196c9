# Sourced by `make prod` (scripts/prod/ctl.sh): production settings on one machine.
# Every variable already set in the environment wins; secrets that are missing are
# generated once into var/prod/ (never committed) so a second start keeps them.
state=${PROD_STATE_DIR:-$PWD/var/prod}
mkdir -p "$state/keys" "$state/tls" "$state/mail"
chmod 700 "$state/keys"
if [ ! -s "$state/keys/secret_key" ]; then
  python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > "$state/keys/secret_key"
fi
if [ ! -s "$state/keys/signing.pem" ]; then
  openssl genpkey -algorithm ed25519 -out "$state/keys/signing.pem" 2>/dev/null
fi
chmod 600 "$state/keys/"*
if [ ! -s "$state/tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$state/tls/key.pem" -out "$state/tls/cert.pem" 2>/dev/null
fi
export DEBUG=0
export SECRET_KEY=${SECRET_KEY:-$(cat "$state/keys/secret_key")}
export REGISTRY_SIGNING_KEY=${REGISTRY_SIGNING_KEY:-$(cat "$state/keys/signing.pem")}
export NGINX_HTTP_PORT=${NGINX_HTTP_PORT:-8080} NGINX_HTTPS_PORT=${NGINX_HTTPS_PORT:-8443}
export SITE_URL=${SITE_URL:-https://localhost:$NGINX_HTTPS_PORT}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-localhost,127.0.0.1}
export CSRF_TRUSTED_ORIGINS=${CSRF_TRUSTED_ORIGINS:-$SITE_URL}
export TLS_CERT=${TLS_CERT:-$state/tls/cert.pem} TLS_KEY=${TLS_KEY:-$state/tls/key.pem}
# Mail is written to files on one machine (a deliberate choice, not a silent default).
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}
export EMAIL_FILE_PATH=${EMAIL_FILE_PATH:-$state/mail}
# SMS likewise, one file per message (set SMS_ACCOUNT_SID & co. for a real gateway).
if [ -z "${SMS_ACCOUNT_SID:-}" ]; then
  export SMS_BACKEND=${SMS_BACKEND:-file}
fi
export SMS_FILE_PATH=${SMS_FILE_PATH:-$state/sms}
export STATIC_ROOT=${STATIC_ROOT:-$state/static} MEDIA_ROOT=${MEDIA_ROOT:-$state/media}
export PRIVATE_MEDIA_ROOT=${PRIVATE_MEDIA_ROOT:-$state/private}
# Signed audit checkpoints: this platform's own, apart from the checkout's var/.
export AUDIT_CHECKPOINT_DIR=${AUDIT_CHECKPOINT_DIR:-$state/audit-checkpoints}
export PRIVATE_FILES_SERVE=${PRIVATE_FILES_SERVE:-accel}
export WEB_PORTS=${WEB_PORTS:-8001 8002}
export WEB_UPSTREAMS=${WEB_UPSTREAMS:-$(for p in $WEB_PORTS; do printf '127.0.0.1:%s ' "$p"; done)}
export NGINX_PREFIX=${NGINX_PREFIX:-$state/nginx}
export DATABASE_POOL_MAX_SIZE=${DATABASE_POOL_MAX_SIZE:-8}
# Redis with append-only persistence: started here unless REDIS_URL names one.
export PROD_REDIS_PORT=${PROD_REDIS_PORT:-6390}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$PROD_REDIS_PORT/0}
