"""`make bench memory`: peak memory of `finsheet import` on hostile PDFs, and `image_pdf`, the generator of such
"scans" (the limit tests use it too)."""

from __future__ import annotations

import sys
from pathlib import Path


def image_pdf(
    page_w: float, page_h: float, image_w: int, image_h: int, *, level: int = 9, rgb: bool = False
) -> bytes:
    """A one-page PDF whose page (page_w × page_h pt) is one image_w × image_h image (grayscale, or RGB), all
    black, flate-compressed: a "scan" with no text layer. A large image compresses about a thousandfold (40000 ×
    40000 pixels: 1.6 GB decoded, 1.6 MB stored: a decompression bomb)."""
    import zlib

    packer = zlib.compressobj(level)
    row = bytes(image_w * (3 if rgb else 1))
    stream = b"".join([*(packer.compress(row) for _ in range(image_h)), packer.flush()])
    content = f"q {page_w:g} 0 0 {page_h:g} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:g} {page_h:g}] /Contents 4 0 R "
        "/Resources << /XObject << /Im0 5 0 R >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Type /XObject /Subtype /Image /Width {image_w} /Height {image_h} "
        f"/ColorSpace /Device{'RGB' if rgb else 'Gray'} /BitsPerComponent 8 /Filter /FlateDecode "
        f"/Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_PEAK_OF_IMPORT = """
import json, resource, sys
from finsheet.jobs.importer import import_files
from finsheet.settings import load_settings
from pathlib import Path
results = import_files([Path(p) for p in sys.argv[1:]], user="bench", settings=load_settings(workers=1))
print(json.dumps([{"file": r.file, "status": r.status, "error": r.error} for r in results]))
"""


def bench_memory() -> None:
    """Peak memory (`/usr/bin/time -v`: the process and its children) of `import` on hostile PDFs: a 1.6 MB
    decompression bomb (one 40000 × 40000 image) and a 20000 × 20000 pt scanned page, each in a fresh process with
    a fresh data dir. Both must end with a one-line error, under 500 MB. Before the limits: 1.76 GB and 3.4 GB."""
    import json
    import os
    import re
    import shutil
    import subprocess
    import tempfile
    import time

    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    cases = [("bomb, 40000 x 40000 image", lambda: image_pdf(612, 792, 40000, 40000)),
             ("giant page, 20000 x 20000 pt", lambda: image_pdf(20000, 20000, 2000, 2000))]
    with tempfile.TemporaryDirectory() as tmp:
        for label, make in cases:
            path = Path(tmp) / (label.split(",")[0].replace(" ", "-") + ".pdf")
            path.write_bytes(make())
            env = {**os.environ, "FINSHEET_DATA_DIR": str(Path(tmp) / f"data-{path.stem}"), "OMP_THREAD_LIMIT": "1"}
            command = [sys.executable, "-c", _PEAK_OF_IMPORT, str(path)]
            started = time.perf_counter()
            if timer:
                done = subprocess.run([timer, "-v", *command], env=env, capture_output=True, text=True, check=False)
                found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
                peak = int(found.group(1)) / 1024 if found else float("nan")
                how = "/usr/bin/time -v"
            else:  # no time(1): the children's peak as the kernel counts it
                import resource

                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                how = "getrusage"
            seconds = time.perf_counter() - started
            lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
            result = json.loads(lines[-1])[0] if lines else {"status": "?", "error": done.stderr.strip()[-200:]}
            print(f"memory: {label} ({path.stat().st_size / 1e6:.1f} MB file): peak {peak:.0f} MB ({how}, the "
                  f"largest process), {seconds:.1f} s, {result['status']}: {result['error']}")
