"""Trunk post-build step: short names for the wasm's imports and exports, and a leaner glue.

wasm-bindgen names each JS function the wasm imports after the Rust binding plus a 16-digit hash
(`__wbg_new_with_str_and_init_d9f6b5611184e16b`), and writes every name twice: in the wasm's
import section and as a key of the glue's import object. About 200 such names are ~6.6 KB of
hex digits that brotli cannot compress: renaming them `$a`, `$b`, … (and the import module
`./outage-lens_bg.js` to `w`) saves ~5.3 KB of the download. The exports (`wasm.…` in the glue)
are renamed the same way, the wasm's tool metadata sections dropped, and the glue's comments
and indentation removed (~1.1 KB more), and so are wasm-streams' classes, whose wasm code
`wasm_opt.py` stubbed and whose exports wasm-opt removed (0.4 KB). The renaming is checked: every import must be a key of
the glue exactly once and every `wasm.…` the glue uses an export, else the build fails rather
than ship a glue that does not match its wasm. The fetch worker and its page side (a
wasm-bindgen snippet) lose their comments and indentation too. The Subresource Integrity
hashes of the files in index.html are recomputed afterwards.
"""
import base64
import glob
import hashlib
import os
import re
import sys

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def fail(msg):
    sys.exit("short_imports.py: " + msg)


def read_leb(b, i):
    value = shift = 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def leb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def short_name(i):
    s = ""
    while True:
        s = ALPHABET[i % len(ALPHABET)] + s
        i //= len(ALPHABET)
        if i == 0:
            return "$" + s


def skip_limits(body, k):
    flags = body[k]
    k += 1
    _, k = read_leb(body, k)
    if flags & 1:
        _, k = read_leb(body, k)
    return k


def skip_desc(body, k):
    """Skips one import description (function, table, memory or global)."""
    kind = body[k]
    k += 1
    if kind == 0:  # function: type index
        _, k = read_leb(body, k)
    elif kind == 1:  # table: reference type, limits
        k = skip_limits(body, k + 1)
    elif kind == 2:  # memory: limits
        k = skip_limits(body, k)
    elif kind == 3:  # global: value type, mutability
        k += 2
    else:
        fail("unknown import kind %d" % kind)
    return k


# Custom sections the browser never reads (tool metadata).
DROPPED_SECTIONS = {b"producers", b"target_features", b"__wasm_split_unstable"}


def read_import_names(body, module):
    """The import section with the imports from `module` renamed; their renaming {old: new}."""
    renames = {}
    count, k = read_leb(body, 0)
    out = bytearray(leb(count))
    for _ in range(count):
        n, k = read_leb(body, k)
        mod = body[k : k + n]
        k += n
        n, k = read_leb(body, k)
        field = body[k : k + n]
        k += n
        desc_start = k
        k = skip_desc(body, k)
        if mod == module:
            old = field.decode("utf-8")
            field = renames.setdefault(old, short_name(len(renames))).encode()
            mod = b"w"
        out += leb(len(mod)) + mod + leb(len(field)) + field + body[desc_start:k]
    if k != len(body):
        fail("import section not read to its end")
    return bytes(out), renames


def read_export_names(body):
    """The export section with every export renamed; the renaming {old: new}."""
    renames = {}
    count, k = read_leb(body, 0)
    out = bytearray(leb(count))
    for i in range(count):
        n, k = read_leb(body, k)
        old = body[k : k + n].decode("utf-8")
        k += n
        desc_start = k
        _, k = read_leb(body, k + 1)
        new = renames.setdefault(old, short_name(i)).encode()
        out += leb(len(new)) + new + body[desc_start:k]
    if k != len(body):
        fail("export section not read to its end")
    return bytes(out), renames


def rewrite(wasm, module):
    """The wasm with short import and export names and without tool metadata; both renamings."""
    if wasm[:8] != b"\0asm\1\0\0\0":
        fail("not a wasm module")
    out = bytearray(wasm[:8])
    imports = exports = {}
    i = 8
    while i < len(wasm):
        section = wasm[i]
        size, start = read_leb(wasm, i + 1)
        end = start + size
        body = wasm[start:end]
        if section == 0:
            n, k = read_leb(body, 0)
            if body[k : k + n] in DROPPED_SECTIONS:
                i = end
                continue
        elif section == 2:
            body, imports = read_import_names(body, module)
        elif section == 7:
            body, exports = read_export_names(body)
        out += bytes([section]) + leb(len(body)) + body
        i = end
    return bytes(out), imports, exports


def drop_unused_imports(js, imported):
    """The glue without the import functions the wasm does not import (wasm-opt removed their
    callers after wasm-bindgen wrote the glue). An entry of the import object is a line
    indented 8 spaces, `name: …`, up to the next such line or the object's end."""
    start = js.find("\n    const import0 = {\n")
    end = js.find("\n    };\n", start)
    if start < 0 or end < 0:
        fail("the glue's import object was not found")
    lines = js[start + 1 : end].split("\n")
    key = re.compile(r"^        ([A-Za-z_$][A-Za-z0-9_$]*): ")
    kept = []
    keep = True
    for line in lines:
        k = key.match(line)
        if k:
            keep = k.group(1) == "__proto__" or k.group(1) in imported
        if keep:
            kept.append(line)
    return js[: start + 1] + "\n".join(kept) + js[end:]


def drop_stream_classes(js):
    """The glue without wasm-streams' classes (`IntoUnderlying…`), their finalization
    registries and the enum only they read: the page imports nothing from the glue but its
    init, and their wasm exports are gone. Fails unless all three classes go, and all of
    their code with them."""
    js, classes = re.subn(
        r"^export class (IntoUnderlying\w+) \{\n.*?\n\}\n"
        r"if \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n",
        "",
        js,
        flags=re.M | re.S,
    )
    js, registries = re.subn(
        r"^const IntoUnderlying\w+Finalization = \(typeof FinalizationRegistry === 'undefined'\)"
        r"\n.*\n.*\n",
        "",
        js,
        flags=re.M,
    )
    js = re.sub(r'^const __wbindgen_enum_ReadableStreamType = \["bytes"\];\n', "", js, flags=re.M)
    if classes != 3 or registries != 3 or re.search("intounderlying|ReadableStreamType", js, re.I):
        fail("wasm-streams' classes are not in the glue as expected")
    return js


def squeeze(js):
    """The glue without its comments and indentation: it has no multi-line string."""
    out = []
    in_doc = False
    for line in js.split("\n"):
        t = line.strip()
        if in_doc:
            in_doc = not t.endswith("*/")
            continue
        if t.startswith("/**"):
            in_doc = not t.endswith("*/")
            continue
        if t and not t.startswith("//"):
            out.append(t)
    return "\n".join(out) + "\n"


def sri(data):
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def main():
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        fail("TRUNK_STAGING_DIR is not set (run it from trunk)")
    wasm_paths = glob.glob(os.path.join(staging, "*_bg.wasm"))
    if len(wasm_paths) != 1:
        fail("expected one *_bg.wasm in %s" % staging)
    wasm_path = wasm_paths[0]
    js_path = wasm_path[: -len("_bg.wasm")] + ".js"
    html_path = os.path.join(staging, "index.html")
    with open(wasm_path, "rb") as f:
        wasm = f.read()
    with open(js_path, encoding="utf-8") as f:
        js = f.read()
    with open(html_path, encoding="utf-8") as f:
        html = f.read()

    # The glue hands the wasm its imports as `{ "./<crate>_bg.js": import0 }`.
    m = re.search(r'\n(\s*)"(\./[A-Za-z0-9_-]+_bg\.js)": import0,\n', js)
    if not m:
        fail("the glue's import object was not found")
    module = m.group(2)
    wasm, renames, exports = rewrite(wasm, module.encode())
    if not renames:
        fail("no import from %s in the wasm" % module)
    js = js[: m.start()] + "\n%sw: import0,\n" % m.group(1) + js[m.end() :]
    js = drop_unused_imports(js, renames)
    js = drop_stream_classes(js)
    for old, new in renames.items():
        key = re.compile(r"(\n\s*)%s: " % re.escape(old))
        js, n = key.subn(lambda k: k.group(1) + new + ": ", js)
        if n != 1:
            fail("import %s is a key of the glue %d times, not once" % (old, n))

    def export(ref):
        name = ref.group(1)
        if name in exports:
            return "wasm." + exports[name]
        fail("the glue uses wasm.%s, which the wasm does not export" % name)

    js = re.sub(r"\bwasm\.([A-Za-z_$][A-Za-z0-9_$]*)", export, js)
    js = squeeze(js)

    files = [(wasm_path, wasm), (js_path, js.encode("utf-8"))]
    # The hand-written JS (the fetch worker and the page's side of it) loses its comments too.
    for path in glob.glob(os.path.join(staging, "snippets", "**", "*.js"), recursive=True):
        with open(path, encoding="utf-8") as f:
            files.append((path, squeeze(f.read()).encode("utf-8")))
    for path, data in files:
        with open(path, "rb") as f:
            before = sri(f.read())
        if html.count(before) != 1:
            fail("the integrity of %s is not in index.html once" % os.path.basename(path))
        html = html.replace(before, sri(data))
        with open(path, "wb") as f:
            f.write(data)
    worker_path = os.path.join(staging, "fetch-worker.js")
    with open(worker_path, encoding="utf-8") as f:
        worker = squeeze(f.read())
    with open(worker_path, "w", encoding="utf-8") as f:
        f.write(worker)
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html)
    print("short_imports.py: %d imports and %d exports renamed" % (len(renames), len(exports)))


if __name__ == "__main__":
    main()
