"""Render the README pictures with the build's own previews (``officekit build --preview``).

The first pages come straight from output/预览/; two inner pages (the speech's annex, the
letter's signature page) are drawn from the print PDFs the same way.

Run: python tools/render_previews.py   (needs LibreOffice and poppler's pdftoppm)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from officekit import export  # noqa: E402
from officekit.build import Options, build  # noqa: E402
from officekit.job import load_job  # noqa: E402

FIRST_PAGES = [  # (preview, picture)
    ("预览/讲话稿.png", "讲话稿-第1页.png"),
    ("预览/责任书汇总.png", "责任书-第1页.png"),
]
INNER_PAGES = [  # (pdf, page, picture)
    ("讲话稿.pdf", 10, "讲话稿-附件1.png"),
    ("责任书汇总.pdf", 3, "责任书-签名页.png"),
]


# (example, its first document's preview) → docs/images/示例-<example>.png
EXAMPLE_PAGES = [
    ("会议通知", "预览/通知/01-城关镇.png"),
    ("安全生产责任书", "预览/责任书/01-城关镇.png"),
    ("红头通知", "预览/通知/01-乡镇.png"),
    ("空白任务", "预览/通知/01-城关镇.png"),
]


def examples(images: Path) -> None:
    """The first page of each example, built from a fresh `officekit init` folder."""
    import tempfile

    from officekit.shipped import copy_shipped

    with tempfile.TemporaryDirectory() as tmp:
        for name, preview in EXAMPLE_PAGES:
            folder = Path(tmp) / name
            copy_shipped(folder, name=name)
            job = load_job(folder)
            build(job, options=Options(preview=True))
            shutil.copyfile(job.output / preview, images / f"示例-{name}.png")
            print(images / f"示例-{name}.png")


def main() -> None:
    job = load_job(ROOT)
    result = build(job, options=Options(preview=True))
    if result.warnings or result.pdf_failure:
        raise SystemExit(f"build problems: {result.warnings} {result.pdf_failure}")
    images = ROOT / "docs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    for preview, picture in FIRST_PAGES:
        shutil.copyfile(job.output / preview, images / picture)
        print(images / picture)
    for pdf, page, picture in INNER_PAGES:
        export.page_png(job.output / pdf, images / picture, page=page)
        print(images / picture)
    examples(images)


if __name__ == "__main__":
    main()
