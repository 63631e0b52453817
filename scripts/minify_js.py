"""Trunk post-build step (release): the glue and the fetch worker's page side, minified.

After `short_imports.py` the glue keeps its local names (`getDataViewMemory0`,
`passStringToWasm0`, `arg0`, ...) and its statements one a line; terser shortens the names
and the code (-1.0 KB brotli for the glue, -0.2 KB for the snippet). Only names local to a
module change: the glue's exports, the import object's keys and `wasm.…` stay as they are.
The fetch worker itself is left alone: `csp_hash.py` writes the allowed origins into it
after this step, and the tests read them back from its `const ALLOWED = …` line. The
Subresource Integrity hashes in index.html are recomputed.
"""
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from short_imports import sri  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(msg):
    sys.exit("minify_js.py: " + msg)


def main():
    if os.environ.get("TRUNK_PROFILE") != "release":
        return
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        fail("TRUNK_STAGING_DIR is not set (run it from trunk)")
    terser = os.path.join(ROOT, "node_modules", ".bin", "terser")
    if not os.access(terser, os.X_OK):
        fail("no terser (run `npm ci`)")
    glue = [p for p in glob.glob(os.path.join(staging, "*.js")) if not p.endswith("fetch-worker.js")]
    if len(glue) != 1:
        fail("expected one glue *.js in %s" % staging)
    snippets = glob.glob(os.path.join(staging, "snippets", "**", "*.js"), recursive=True)
    html_path = os.path.join(staging, "index.html")
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    for path in glue + snippets:
        with open(path, "rb") as f:
            before = f.read()
        out = subprocess.run(
            [terser, "--module", "--compress", "passes=2", "--mangle"],
            input=before,
            capture_output=True,
            check=True,
        ).stdout
        if not out.strip():
            fail("terser gave nothing for %s" % os.path.basename(path))
        if html.count(sri(before)) != 1:
            fail("the integrity of %s is not in index.html once" % os.path.basename(path))
        html = html.replace(sri(before), sri(out))
        with open(path, "wb") as f:
            f.write(out)
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html)
    print("minify_js.py: %d file(s) minified" % len(glue + snippets))


if __name__ == "__main__":
    main()
