"""Install the real releases the attribution test reads (never committed): the npm ones from
package-lock.json (``npm ci``), the PyPI ones from requirements/*.txt (hashes required), each
into a folder of its own, since several releases of one package cannot share one.

Run by ``make test-lists`` (and so by ``make test`` and CI); a folder whose requirements
file has not changed since it was installed is left as it is.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "pypi"


def main() -> int:
    if shutil.which("npm"):
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                        "--loglevel=error"], cwd=HERE, check=True)
    else:
        print("npm is not installed: the npm releases of the attribution test are skipped",
              file=sys.stderr)
    for requirements in sorted((HERE / "requirements").glob("*.txt")):
        folder = TARGET / requirements.stem
        stamp = folder / ".requirements-sha256"
        digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
        if stamp.is_file() and stamp.read_text().strip() == digest:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "--require-hashes", "--no-deps",
                        "--no-compile", "--target", str(folder), "-r", str(requirements)],
                       check=True)
        stamp.write_text(digest + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
