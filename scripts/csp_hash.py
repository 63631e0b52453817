"""Trunk post-build hook: fill the hashes of the Content-Security-Policy meta tag.

- Trunk writes its bootstrap as an inline module script whose text changes with every build
  (it names the hashed .js/.wasm files), so its SHA-256 is computed here, after the build.
- plotters measures text with a <span style="..."> whose value depends only on the font: those
  exact style values (and no other) are allowed through 'unsafe-hashes'.
"""
import base64
import hashlib
import os
import re
import sys

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

# The charts use sans-serif text from 8 to 24 px (see src/ui/charts/draw.rs).
MEASURE = ("display: inline-block; font-family:sans-serif; font-style:normal; "
           "font-size: %dpx; position: fixed; top: 100%%")
if "TEXT_MEASURE_STYLE_HASHES" not in html:
    sys.exit("csp_hash.py: the CSP placeholder TEXT_MEASURE_STYLE_HASHES is missing from index.html")
html = html.replace("TEXT_MEASURE_STYLE_HASHES", " ".join(sha(MEASURE % px) for px in range(8, 25)))
with open(path, "w", encoding="utf-8") as f:
    f.write(html)
print("csp_hash.py: %d inline script(s) hashed into the CSP" % len(inline))
