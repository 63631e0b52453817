"""Trunk post-build step (release): wasm-opt, after stubbing out wasm-streams' stream classes.

Leptos' server functions bring wasm-streams, whose `IntoUnderlying{Source,ByteSource,Sink}`
classes wasm-bindgen exports for JS; a CSR app never uses them. wasm-opt can drop the exports
(`--remove-exports`), but not the futures they start: those sit in the function table (their
vtables are in the data, which wasm-opt cannot read), with everything they call (~8 KB raw,
2.6 KB brotli). Their bodies are replaced by `unreachable` here, while the wasm still has the
names wasm-bindgen keeps, and wasm-opt then drops what only they used. So that nothing else is
stubbed, the step fails unless every `future_to_promise` in the wasm is wasm-streams' (their
drop glue names the future's type). Trunk's own wasm-opt is off (`data-wasm-opt="0"` in
index.html): it runs here.
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from short_imports import leb, read_leb, skip_desc, sri  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# `-Oz`, wasm-streams' exports removed, `-Oz` again, as Trunk ran it; measured on top (brotli
# of the wasm): the control flow flattened and rebuilt first (`--flatten --rereloop`, -1.4 KB),
# and constant offsets folded into loads and stores (-0.7 KB). The folding assumes nothing
# lives below address 1024: there Rust's wasm has only the far end of its 1 MB stack, which
# the app never comes near (the JSON reader bounds its nesting).
FLAGS = ["--flatten", "--rereloop", "-Oz",
         "--remove-exports", "--pass-arg=remove-exports@*intounderlying*", "-Oz",
         "--low-memory-unused", "--optimize-added-constants"]
# Functions of wasm-streams' JS-facing classes, and the futures `future_to_promise` polls.
STUB = re.compile(r"wasm_streams|^js_sys::futures::future_to_promise::")
FUTURE_DROP = re.compile(r"drop_in_place<js_sys::futures::future_to_promise<(.*)")


def fail(msg):
    sys.exit("wasm_opt.py: " + msg)


def function_names(wasm):
    """{function index: name} from the name section, and the number of imported functions."""
    names = {}
    imported = 0
    i = 8
    while i < len(wasm):
        section = wasm[i]
        size, start = read_leb(wasm, i + 1)
        body = wasm[start : start + size]
        if section == 2:
            count, k = read_leb(body, 0)
            for _ in range(count):
                for _field in range(2):
                    n, k = read_leb(body, k)
                    k += n
                if body[k] == 0:
                    imported += 1
                k = skip_desc(body, k)
        elif section == 0:
            n, k = read_leb(body, 0)
            if body[k : k + n] == b"name":
                k += n
                while k < len(body):
                    sub = body[k]
                    sub_size, k2 = read_leb(body, k + 1)
                    if sub == 1:
                        count, q = read_leb(body, k2)
                        for _ in range(count):
                            index, q = read_leb(body, q)
                            n, q = read_leb(body, q)
                            names[index] = body[q : q + n].decode("utf-8", "replace")
                            q += n
                    k = k2 + sub_size
        i = start + size
    return names, imported


def stub(wasm):
    """The wasm with the bodies of wasm-streams' functions replaced by `unreachable`."""
    names, imported = function_names(wasm)
    if not names:
        fail("the wasm has no function names (is wasm-opt already run by trunk?)")
    for name in names.values():
        m = FUTURE_DROP.search(name)
        if m and "wasm_streams" not in m.group(1):
            fail("a future_to_promise other than wasm-streams' is in the wasm; "
                 "stubbing them all would break it: " + name[:200])
    out = bytearray(wasm[:8])
    stubbed = 0
    i = 8
    while i < len(wasm):
        section = wasm[i]
        size, start = read_leb(wasm, i + 1)
        end = start + size
        if section != 10:
            out += wasm[i:end]
            i = end
            continue
        body = wasm[start:end]
        count, k = read_leb(body, 0)
        new_body = bytearray(leb(count))
        for index in range(imported, imported + count):
            n, k = read_leb(body, k)
            code = body[k : k + n]
            k += n
            if STUB.search(names.get(index, "")):
                code = b"\x00\x00\x0b"  # no locals; unreachable; end
                stubbed += 1
            new_body += leb(len(code)) + code
        out += bytes([10]) + leb(len(new_body)) + new_body
        i = end
    if stubbed == 0:
        fail("no wasm-streams function found to stub (update the pattern)")
    return bytes(out), stubbed


def wasm_opt_binary():
    local = os.path.join(ROOT, "node_modules", ".bin", "wasm-opt")
    found = local if os.access(local, os.X_OK) else shutil.which("wasm-opt")
    if not found:
        fail("no wasm-opt (run `npm ci`: wasm-opt 132 from npm)")
    return found


def main():
    if os.environ.get("TRUNK_PROFILE") != "release":
        return
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        fail("TRUNK_STAGING_DIR is not set (run it from trunk)")
    paths = [p for p in os.listdir(staging) if p.endswith("_bg.wasm")]
    if len(paths) != 1:
        fail("expected one *_bg.wasm in %s" % staging)
    wasm_path = os.path.join(staging, paths[0])
    html_path = os.path.join(staging, "index.html")
    with open(wasm_path, "rb") as f:
        wasm = f.read()
    stubbed_wasm, stubbed = stub(wasm)
    tmp = wasm_path + ".stubbed"
    with open(tmp, "wb") as f:
        f.write(stubbed_wasm)
    # KEEP_NAMES=1 keeps the function names, for a profile of the page (with data-keep-debug).
    names = ["-g"] if os.environ.get("KEEP_NAMES") == "1" else []
    subprocess.run([wasm_opt_binary(), tmp, *FLAGS, *names, "-o", wasm_path], check=True)
    os.remove(tmp)
    with open(wasm_path, "rb") as f:
        optimized = f.read()
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    before = sri(wasm)
    if html.count(before) != 1:
        fail("the wasm's integrity is not in index.html once")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html.replace(before, sri(optimized)))
    print("wasm_opt.py: %d wasm-streams functions stubbed; wasm-opt %s" % (stubbed, " ".join(FLAGS)))


if __name__ == "__main__":
    main()
