"""``python -m bench.hostile [NAME…]``: time and peak memory of ``kb add FILE --yes`` for
each hostile input of issue 15 (made by ``tests/hostile_support.py`` at the issue's
sizes), each in a fresh corpus and data folder. Peak memory is the largest resident set
of the command and of the process that reads the file (``RUSAGE_CHILDREN``)."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests import hostile_support as hostile

INPUTS = {
    "alias-bomb.md": lambda: hostile.alias_bomb().encode(),
    "deep-5000.md": lambda: hostile.deep_yaml(5000).encode(),
    "duplicate-key.md": lambda: hostile.duplicate_key().encode(),
    "inflating-400mb.pdf": lambda: hostile.inflating_pdf(400),
    "pages-1500.pdf": lambda: hostile.long_pdf(1500),
    "pages-200.pdf": lambda: hostile.long_pdf(200),
    "pages-500.pdf": lambda: hostile.long_pdf(500),
    "nested-100000.html": lambda: hostile.nested_html(100_000),
    "charset-undefined.html": hostile.undefined_charset_html,
    "text-19.5mb.txt": lambda: hostile.large_text(19.5),
    "text-60mb.txt": lambda: hostile.large_text(60),
}
TIMEOUT = 300


def measure(name: str, content: bytes) -> dict:
    """One ``kb add`` in a child process, measured; each in its own process so that
    RUSAGE_CHILDREN's peak is this command's."""
    code = ("import resource, subprocess, sys, time\n"
            "started = time.perf_counter()\n"
            "run = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(run.returncode, round(time.perf_counter() - started, 2), peak // 1024)\n"
            "print((run.stdout + run.stderr).strip().splitlines()[-1][:160] if (run.stdout + run.stderr).strip() "
            "else '')\n")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "corpus").mkdir()
        path = root / name
        path.write_bytes(content)
        kb = Path(sys.executable).with_name("kb")
        command = [sys.executable, "-c", code, str(kb), "--corpus", str(root / "corpus"),
                   "--data", str(root / "data"), "add", str(path), "--yes", "--lang", "fr"]
        out = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT).stdout.splitlines()
        status, seconds, peak_mb = out[0].split()
        stored = sorted(p.name for p in (root / "corpus").rglob("*") if p.is_file())
    return {"input": name, "bytes": len(content), "exit": int(status), "seconds": float(seconds),
            "peak_mb": int(peak_mb), "stored": stored, "message": out[1] if len(out) > 1 else ""}


def main(names: list[str]) -> None:
    print("| input | size | exit | time (s) | peak memory (MB) | stored | message |")
    print("|---|---|---|---|---|---|---|")
    for name in names or INPUTS:
        result = measure(name, INPUTS[name]())
        print(f"| {name} | {result['bytes'] / 1024:,.0f} KB | {result['exit']} | {result['seconds']} | "
              f"{result['peak_mb']} | {', '.join(result['stored']) or 'nothing'} | {result['message']} |",
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
