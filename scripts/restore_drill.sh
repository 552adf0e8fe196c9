#!/usr/bin/env bash
# Restore drill: back up the running platform, restore that backup into a fresh
# database (<name>_restore, or RESTORE_DATABASE_NAME) and fresh store folders, then
# prove the copy works: row counts match the manifest, the audit log's hash chain is
# intact, and a certificate issued before the backup verifies against the restored
# database and signing key. The source is only read, never changed or dropped.
#
# Environment: the platform's own (DATABASE_URL, MEDIA_ROOT, PRIVATE_MEDIA_ROOT,
# REGISTRY_SIGNING_KEY, BACKUP_ENCRYPTION_KEY, ...). PYTHON (default .venv/bin/python
# or python), DRILL_KEEP=1 keeps the restored copy and the work folder.
# Prints a summary; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python; fi
fi
started=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/maharat-drill.XXXXXX")
chmod 700 "$WORK"

# The restore target: a sibling database of the source, or a SQLite file in $WORK.
eval "$(WORK="$WORK" "$PY" - <<'PYEOF'
import os, shlex
from urllib.parse import urlsplit, urlunsplit

url = os.environ.get("DATABASE_URL", "")
work = os.environ["WORK"]
if not url or url.startswith("sqlite"):
    target, name = f"sqlite:///{work}/restore.sqlite3", ""
else:
    parts = urlsplit(url)
    source = parts.path.lstrip("/")
    name = os.environ.get("RESTORE_DATABASE_NAME") or f"{source}_restore"
    if name == source:
        raise SystemExit("restore_drill: the restore database must not be the source")
    target = urlunsplit(parts._replace(path="/" + name))
print(f"RESTORE_URL={shlex.quote(target)}")
print(f"RESTORE_NAME={shlex.quote(name)}")
PYEOF
)"

drop_restore_database() {
  [ -n "$RESTORE_NAME" ] || return 0
  RESTORE_URL="$RESTORE_URL" "$PY" - <<'PYEOF' || true
import os
import environ, psycopg
from psycopg import sql
db = environ.Env.db_url_config(os.environ["RESTORE_URL"])
params = {k: v for k, v in {"dbname": "postgres", "user": db.get("USER") or None,
          "password": db.get("PASSWORD") or None, "host": db.get("HOST") or None,
          "port": str(db["PORT"]) if db.get("PORT") else None}.items() if v}
with psycopg.connect(**params, autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(db["NAME"])))
PYEOF
}

cleanup() {
  if [ "${DRILL_KEEP:-0}" = "1" ]; then
    echo "kept: $WORK, database ${RESTORE_NAME:-$RESTORE_URL}"
  else
    drop_restore_database
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

summary=()
step() {  # step NAME command...: run it, keep its output, stop the drill on failure
  local name=$1 t0=$SECONDS
  shift
  if "$@" >"$WORK/$name.log" 2>&1; then
    summary+=("ok    $name ($((SECONDS - t0)) s): $(tail -n 1 "$WORK/$name.log")")
  else
    summary+=("FAIL  $name ($((SECONDS - t0)) s)")
    printf '%s\n' "${summary[@]}"
    echo "--- $name output:" >&2
    tail -n 40 "$WORK/$name.log" >&2
    echo "restore drill FAILED at $name" >&2
    exit 1
  fi
}

# The restored platform, seen apart from the live one: its database, its stores,
# the restored key, and a cache of its own (a shared Redis would answer from live).
restored() {
  env DATABASE_URL="$RESTORE_URL" REDIS_URL= CACHE_DIR="$WORK/cache" \
    MEDIA_ROOT="$WORK/media" PRIVATE_MEDIA_ROOT="$WORK/private" \
    REGISTRY_SIGNING_KEY="$(cat "$WORK/signing-keys.pem")" "$@"
}

drop_restore_database
step backup "$PY" manage.py backup --dir "$WORK/backups" --keep 1
BACKUP=$(ls -d "$WORK"/backups/maharat-* | head -n 1)
step restore "$PY" manage.py restore "$BACKUP" --database-url "$RESTORE_URL" \
  --media-root "$WORK/media" --private-root "$WORK/private" \
  --keys-out "$WORK/signing-keys.pem"
step audit_log restored "$PY" manage.py verify_audit_log
step certificate restored "$PY" manage.py restore_check "$BACKUP"

printf '%s\n' "${summary[@]}"
echo "restore drill passed in $(( $(date +%s) - started )) s (backup $(basename "$BACKUP"), restored into ${RESTORE_NAME:-$RESTORE_URL})"
