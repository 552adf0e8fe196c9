# Sourced by the production scripts: the Python to use and the defaults they share.
# In the image (Dockerfile) python is on PATH; on a machine, the project's virtualenv.
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
if [ -x .venv/bin/python ]; then PY=.venv/bin/python; BIN=.venv/bin/; else PY=python; BIN=; fi
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-lms.settings}
