"""Checks that the Content-Security-Policy's connect-src is derived from config.json.

- The built dist/index.html allows exactly 'self' and the origins of dist/config.json's API
  bases (and dist/config.json is public/config.json).
- The fetch worker (dist/fetch-worker.js), which does not inherit the page's policy, allows
  the same origins; workers come from 'self' only.
- scripts/csp_hash.py, run on a staging copy with other hosts, writes those hosts instead (in
  the policy and in the worker), and refuses a config whose bases are not http(s) URLs.

Run: python3 scripts/test_csp.py (after a build; scripts/test.sh does both).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "dist")
DEFAULTS = ("https://stat.ripe.net", "https://api.ioda.inetintel.cc.gatech.edu/v2")


def csp(html):
    # The tag as written in index.html, or as Trunk's minifier writes it in a release build
    # (attributes reordered, quotes dropped where it can).
    tags = [t for t in re.findall(r"<meta\b[^>]*>", html)
            if re.search(r'http-equiv="?Content-Security-Policy"?[\s>/]', t)]
    assert len(tags) == 1, "no CSP meta tag"
    m = re.search(r'\bcontent="([^"]*)"', tags[0])
    assert m, "the CSP meta tag has no content"
    return {d.split()[0]: d.split()[1:] for d in m.group(1).split(";") if d.strip()}


def origins(config):
    out = []
    for key, default in zip(("ripestat_base", "ioda_base"), DEFAULTS):
        p = urlsplit(config.get(key, default))
        o = "%s://%s" % (p.scheme, p.netloc)
        if o not in out:
            out.append(o)
    return out


def worker_origins(js):
    """The origins the fetch worker allows besides its own."""
    m = re.search(r"^const ALLOWED = (\[[^\]]*\])", js, flags=re.M)
    assert m, "the fetch worker has no ALLOWED list"
    return json.loads(m.group(1))


def run_hook(config):
    """Runs csp_hash.py on a staging dir holding the source index.html, fetch-worker.js and
    `config`; returns its exit code, the index.html and worker it left, and its stderr."""
    staging = tempfile.mkdtemp()
    try:
        shutil.copy(os.path.join(ROOT, "index.html"), staging)
        shutil.copy(os.path.join(ROOT, "public", "fetch-worker.js"), staging)
        with open(os.path.join(staging, "config.json"), "w") as f:
            f.write(config if isinstance(config, str) else json.dumps(config))
        env = dict(os.environ, TRUNK_STAGING_DIR=staging)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "csp_hash.py")],
                           env=env, capture_output=True, text=True)
        with open(os.path.join(staging, "index.html")) as f, \
                open(os.path.join(staging, "fetch-worker.js")) as w:
            return r.returncode, f.read(), w.read(), r.stderr
    finally:
        shutil.rmtree(staging)


class ConnectSrc(unittest.TestCase):
    def test_the_build_allows_exactly_the_configured_origins(self):
        with open(os.path.join(DIST, "index.html")) as f:
            policy = csp(f.read())
        with open(os.path.join(DIST, "config.json")) as f:
            shipped = json.load(f)
        with open(os.path.join(ROOT, "public", "config.json")) as f:
            self.assertEqual(shipped, json.load(f), "dist/config.json is public/config.json")
        self.assertEqual(policy["connect-src"], ["'self'"] + origins(shipped))
        self.assertEqual(policy["worker-src"], ["'self'"])
        with open(os.path.join(DIST, "fetch-worker.js")) as f:
            self.assertEqual(worker_origins(f.read()), origins(shipped))
        self.assertEqual(policy["default-src"], ["'none'"])
        self.assertNotIn("'unsafe-inline'", policy["script-src"])
        # No inline style at all: the charts measure text with the canvas, not a styled span.
        self.assertEqual(policy["style-src"], ["'self'"])

    def test_other_hosts_replace_the_defaults(self):
        code, html, worker, err = run_hook({
            "ripestat_base": "https://ripestat.example.org:8443/",
            "ioda_base": "http://127.0.0.1:9000/v2",
        })
        self.assertEqual(code, 0, err)
        self.assertEqual(csp(html)["connect-src"],
                         ["'self'", "https://ripestat.example.org:8443", "http://127.0.0.1:9000"])
        self.assertEqual(worker_origins(worker),
                         ["https://ripestat.example.org:8443", "http://127.0.0.1:9000"])
        # One host for both APIs is listed once; a missing key keeps the app's default.
        code, html, _, _ = run_hook({"ripestat_base": "https://api.example.org",
                                  "ioda_base": "https://api.example.org/ioda/v2"})
        self.assertEqual(csp(html)["connect-src"], ["'self'", "https://api.example.org"])
        code, html, _, _ = run_hook({})
        self.assertEqual(csp(html)["connect-src"], ["'self'"] + list(
            "%s://%s" % (urlsplit(d).scheme, urlsplit(d).netloc) for d in DEFAULTS))

    def test_a_bad_config_fails_the_build(self):
        for bad in ['{"ioda_base": "javascript:alert(1)"}', '{"ripestat_base": 5}',
                    '{"ioda_base": "https://user@evil.example"}', "[]", "{"]:
            code, html, worker, err = run_hook(bad)
            self.assertNotEqual(code, 0, bad)
            self.assertIn("CONNECT_SRC_HOSTS", html, "nothing written for %s" % bad)
            self.assertEqual(worker_origins(worker), [], "the worker allows no other host")


if __name__ == "__main__":
    unittest.main()
