"""Red header (版头) and imprint (版记) asked for in the job file, put into each document.

```toml
[[documents]]
name = "通知"
template = "通知.docx"
[documents.red_header]
organ = "{{ 发文机关 }}文件"
number = "{{ 发文字号 }}"
[documents.imprint]
cc = "{{ 抄送 }}"
printer = "{{ 印发机关 }}"
date = "{{ 印发日期 }}"
```

Each value is a pattern like an output name, rendered with the document's variables.
This module reads those tables (it is imported with the job file, so it imports nothing
heavy); :mod:`officekit.mastheadtemplate` puts them into the documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from officekit.errors import JobError

# Job-file keys → Header / Imprint fields; the required ones first.
HEADER_KEYS = {
    "organ": "发文机关标志",
    "number": "发文字号",
    "signer": "签发人",
    "copy_number": "份号",
    "secrecy": "密级和保密期限",
    "urgency": "紧急程度",
}
IMPRINT_KEYS = {"printer": "印发机关", "date": "印发日期", "cc": "抄送机关"}
REQUIRED = {"red_header": ("organ",), "imprint": ("printer", "date")}


def parse(raw: Any, table: str, where: str, source: object) -> tuple[tuple[str, str], ...] | None:
    """The ``[documents.red_header]`` / ``[documents.imprint]`` table of a job file."""
    if raw is None:
        return None
    keys = HEADER_KEYS if table == "red_header" else IMPRINT_KEYS
    if not isinstance(raw, Mapping):
        raise JobError(
            f"任务文件 {source} 的 {where} 中 {table} 应是一个表（[documents.{table}]），"
            f"可写的项：{'、'.join(f'{k}（{v}）' for k, v in keys.items())}。"
        )
    for key in raw:
        if key not in keys:
            raise JobError(
                f"任务文件 {source} 的 {where} [documents.{table}] 中没有“{key}”这一项；"
                f"可写的项：{'、'.join(f'{k}（{v}）' for k, v in keys.items())}。"
            )
    for key in REQUIRED[table]:
        if not str(raw.get(key, "")).strip():
            raise JobError(
                f"任务文件 {source} 的 {where} [documents.{table}] 缺少 {key}（{keys[key]}），"
                f'请写上，如 {key} = "{{{{ {keys[key]} }}}}"。'
            )
    return tuple((key, str(value)) for key, value in raw.items())
