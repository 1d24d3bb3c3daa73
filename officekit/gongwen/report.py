"""How typeset's changes are shown to the clerk: which remove words, and the part of a
long line a change touched."""

from __future__ import annotations

# Changes that touch only spacing, punctuation and characters; every other kind removes
# words (a blurb, an advert, a marker) and is listed line by line for the clerk.
COSMETIC = frozenset(
    {
        "删除控制字符",
        "还原实体",
        "删除引用符号",
        "删除行首空格",
        "删除行尾空格",
        "规范序号",
        "全角标点",
        "删除截断符",
        "合并断行",
        "删除标题句号",
    }
)
EXCERPT_CONTEXT = 12


def excerpt(before: str, after: str, context: int = EXCERPT_CONTEXT) -> tuple[str, str]:
    """The part of a long line a change touched, with ``context`` characters either side
    ("……" where text is left out); short lines are returned whole."""
    if len(before) <= 3 * context and len(after) <= 3 * context:
        return before, after
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while (
        end < min(len(before), len(after)) - start
        and before[len(before) - 1 - end] == after[len(after) - 1 - end]
    ):
        end += 1
    left = max(0, start - context)

    def cut(text: str) -> str:
        right = min(len(text), len(text) - end + context)
        return ("……" if left else "") + text[left:right] + ("……" if right < len(text) else "")

    return cut(before), cut(after)
