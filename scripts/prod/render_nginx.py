"""Render nginx.conf.template with the environment (no envsubst needed).

Every ${NAME} in the template must be set, or this exits naming what is missing:
a proxy that starts with an empty root would serve the wrong files.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def render(environ: dict[str, str]) -> str:
    values = dict(environ)
    https = values.get("NGINX_HTTPS_PORT", "443")
    values.setdefault("NGINX_HTTPS_SUFFIX", "" if https == "443" else f":{https}")
    upstreams = values.get("WEB_UPSTREAMS", "").split()
    values["NGINX_UPSTREAM_SERVERS"] = "\n        ".join(
        f"server {u} max_fails=1 fail_timeout=5s;" for u in upstreams
    )
    template = (HERE / "nginx.conf.template").read_text()
    names = set(re.findall(r"\$\{([A-Z_]+)\}", template))
    missing = sorted(n for n in names if not values.get(n))
    if missing or not upstreams:
        sys.exit(
            "nginx: set "
            + ", ".join(missing or ["WEB_UPSTREAMS"])
            + " (see scripts/prod/README.md)"
        )
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], template)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.write_text(render(dict(os.environ)))
