"""Trunk post-build hook: fill the hashes of the Content-Security-Policy meta tag.

- Trunk writes its bootstrap as an inline module script whose text changes with every build
  (it names the hashed .js/.wasm files), so its SHA-256 is computed here, after the build.
- style-src is 'self' alone: no inline style is needed (charts measure text with the canvas,
  src/ui/measured.rs, not with plotters' styled <span>).
- connect-src is 'self' plus the origins of the API hosts in the config.json that ships with the
  build (public/config.json), so the policy follows the configuration instead of a hand-kept list.
  The same origins are written into fetch-worker.js, which makes the requests: a worker loaded
  from a URL does not inherit the page's policy, so it checks connect-src itself.
"""
import base64
import hashlib
import json
import os
import re
import sys
from urllib.parse import urlsplit

# The app's own defaults (src/api/config.rs) for keys config.json leaves out.
DEFAULT_BASES = {
    "ripestat_base": "https://stat.ripe.net",
    "ioda_base": "https://api.ioda.inetintel.cc.gatech.edu/v2",
}


def connect_origins(config):
    """The distinct origins (scheme://host[:port]) of the API bases, in config order."""
    origins = []
    for key, default in DEFAULT_BASES.items():
        base = config.get(key, default)
        parts = urlsplit(base.strip() if isinstance(base, str) else "")
        if parts.scheme not in ("https", "http") or not parts.hostname or "@" in parts.netloc:
            sys.exit("csp_hash.py: config.json %s %r is not an http(s) URL" % (key, base))
        origin = "%s://%s" % (parts.scheme, parts.netloc.lower())
        if origin not in origins:
            origins.append(origin)
    return origins


WORKER_PLACEHOLDER = "[] /*CONNECT_SRC_ORIGINS*/"

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("csp_hash.py: TRUNK_STAGING_DIR is not set (run it from trunk)")
path = os.path.join(staging, "index.html")
with open(path, encoding="utf-8") as f:
    html = f.read()


def sha(text):
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(sha(s) for s in inline)
if "INLINE_SCRIPT_HASHES" not in html:
    sys.exit("csp_hash.py: the CSP placeholder INLINE_SCRIPT_HASHES is missing from index.html")
html = html.replace("INLINE_SCRIPT_HASHES", hashes)

if "CONNECT_SRC_HOSTS" not in html:
    sys.exit("csp_hash.py: the CSP placeholder CONNECT_SRC_HOSTS is missing from index.html")
config_path = os.path.join(staging, "config.json")
try:
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
except (OSError, ValueError) as e:
    sys.exit("csp_hash.py: cannot read %s: %s" % (config_path, e))
if not isinstance(config, dict):
    sys.exit("csp_hash.py: %s is not a JSON object" % config_path)
origins = connect_origins(config)
html = html.replace("CONNECT_SRC_HOSTS", " ".join(origins))
with open(path, "w", encoding="utf-8") as f:
    f.write(html)

# The fetch worker keeps the same connect-src itself (a worker does not inherit the page's CSP).
worker_path = os.path.join(staging, "fetch-worker.js")
with open(worker_path, encoding="utf-8") as f:
    worker = f.read()
if WORKER_PLACEHOLDER not in worker:
    sys.exit("csp_hash.py: the placeholder %s is missing from fetch-worker.js" % WORKER_PLACEHOLDER)
with open(worker_path, "w", encoding="utf-8") as f:
    f.write(worker.replace(WORKER_PLACEHOLDER, json.dumps(origins)))
print("csp_hash.py: %d inline script(s) hashed into the CSP; connect-src 'self' %s"
      % (len(inline), " ".join(origins)))
