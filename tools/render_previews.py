"""Render the README pictures: build the example, convert to PDF, pages → PNG.

Run: python tools/render_previews.py   (needs LibreOffice and pdftoppm)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from officekit.build import build  # noqa: E402
from officekit.job import load_job  # noqa: E402

PAGES = [  # (pdf, page, picture)
    ("讲话稿.pdf", 1, "讲话稿-第1页.png"),
    ("讲话稿.pdf", 10, "讲话稿-附件1.png"),
    ("责任书汇总.pdf", 1, "责任书-第1页.png"),
    ("责任书汇总.pdf", 3, "责任书-签名页.png"),
]


def main() -> None:
    job = load_job(ROOT)
    build(job)
    images = ROOT / "docs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for pdf, page, picture in PAGES:
            stem = Path(tmp) / "page"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "60",
                    "-png",
                    "-singlefile",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(job.output / pdf),
                    str(stem),
                ],
                check=True,
            )
            (stem.with_suffix(".png")).replace(images / picture)
            print(images / picture)


if __name__ == "__main__":
    main()
