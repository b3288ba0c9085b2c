"""A small, safe template language for letters an administrator can edit.

The language, as the template editor's help describes it:

- ``{name}`` is replaced by a field's value (``{{`` and ``}}`` print a brace).
- ``[if name] ... [end]`` keeps the text between only when the field has a value;
  ``[if not name]`` when it has none; ``[else]`` gives the other wording. Blocks may
  nest and may span paragraphs. A tag alone on its line takes the line with it.
- A blank line starts a new paragraph; a single line break stays a line break.
- A line starting ``# `` is a heading; lines starting ``- `` are bullet points. A bullet
  that is exactly a list field (``- {holds}``) becomes one bullet per item. Lines
  starting ``> `` are set apart as someone's own words (``> {child_account}``).

Nothing in a field's value is ever read as template syntax: values are put in last.
This module knows no letter; ``domain/letters.py`` supplies the fields.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

_TAG = re.compile(r"\[\s*(if\s+(?:not\s+)?[A-Za-z_]\w*|else|end)\s*\]", re.IGNORECASE)
# A tag alone on its line (spaces allowed) swallows its line break too.
_TAG_LINE = re.compile(
    r"^[ \t]*(\[\s*(?:if\s+(?:not\s+)?[A-Za-z_]\w*|else|end)\s*\])[ \t]*(?:\n|$)",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = re.compile(r"\{\{|\}\}|\{\s*([A-Za-z_]\w*)\s*\}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLETS = "bullets"
    QUOTE = "quote"


@dataclass(frozen=True, slots=True)
class LetterBlock:
    """One heading, paragraph or quotation (``text`` may hold line breaks), or bullet
    list (``items``)."""

    kind: BlockKind
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TemplateValues:
    """What a template is filled from: text fields, list fields and yes/no conditions.

    A text or list field is also a condition (true when it has a value)."""

    text: Mapping[str, str]
    lists: Mapping[str, tuple[str, ...]]
    flags: Mapping[str, bool]

    def holds(self, name: str) -> bool:
        if name in self.flags:
            return self.flags[name]
        if name in self.lists:
            return bool(self.lists[name])
        return bool(self.text.get(name, "").strip())


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _suggest(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" Did you mean {{{close[0]}}}?" if close else ""


def check_template(text: str, fields: set[str], conditions: set[str]) -> list[str]:
    """Every problem in the template, in plain words with line numbers; [] if none.

    ``fields`` may be printed with ``{name}``; ``conditions`` (a superset of the fields
    that make sense to test) may follow ``[if``."""
    problems: list[str] = []
    for match in _FIELD.finditer(text):
        name = match.group(1)
        if name is not None and name not in fields:
            problems.append(
                f"Line {_line_of(text, match.start())}: {{{name}}} is not a field this "
                f"letter knows.{_suggest(name, fields)}"
            )
    stripped = _FIELD.sub("", text)
    for line_no, content in enumerate(stripped.splitlines(), start=1):
        if "{" in content or "}" in content:
            problems.append(
                f"Line {line_no}: a curly bracket is not part of a field. Write a field "
                "like {child}, or {{ and }} to print a bracket."
            )
    open_blocks: list[tuple[int, bool]] = []  # (line, has an [else])
    for match in _TAG.finditer(text):
        line = _line_of(text, match.start())
        word = match.group(1).split()
        if word[0].lower() == "if":
            name = word[-1]
            if name not in conditions:
                close = difflib.get_close_matches(name, sorted(conditions), n=1)
                hint = f" Did you mean [if {close[0]}]?" if close else ""
                problems.append(f"Line {line}: [if {name}] tests something unknown.{hint}")
            open_blocks.append((line, False))
        elif word[0].lower() == "else":
            if not open_blocks:
                problems.append(f"Line {line}: [else] is not inside an [if ...] block.")
            elif open_blocks[-1][1]:
                problems.append(f"Line {line}: this [if ...] block already has an [else].")
            else:
                open_blocks[-1] = (open_blocks[-1][0], True)
        elif not open_blocks:
            problems.append(f"Line {line}: [end] has no [if ...] to close.")
        else:
            open_blocks.pop()
    for line, _ in open_blocks:
        problems.append(f"Line {line}: this [if ...] block has no [end].")
    return problems


def _apply_conditions(text: str, values: TemplateValues) -> str:
    """The template with every [if] block resolved (the template is known to be valid)."""
    text = _TAG_LINE.sub(lambda m: m.group(1), text)
    out: list[str] = []
    # Each entry: (showing the current branch, the block as a whole is shown).
    stack: list[tuple[bool, bool]] = []
    position = 0
    for match in _TAG.finditer(text):
        if all(showing for showing, _ in stack):
            out.append(text[position : match.start()])
        position = match.end()
        word = match.group(1).split()
        parent = all(showing for showing, _ in stack)
        if word[0].lower() == "if":
            wanted = values.holds(word[-1])
            if len(word) == 3:  # [if not name]
                wanted = not wanted
            stack.append((wanted and parent, parent))
        elif word[0].lower() == "else":
            if stack:
                showing, outer = stack.pop()
                stack.append((outer and not showing, outer))
        elif stack:
            stack.pop()
    out.append(text[position:])
    return "".join(out)


def _substitute(text: str, values: TemplateValues) -> str:
    def value(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name in values.lists:
            return "; ".join(values.lists[name])
        return values.text.get(name, "").strip()

    return _FIELD.sub(value, text)


def _tidy(text: str) -> str:
    """Collapse the spaces a missing value leaves, and spaces before punctuation."""
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines)
    return re.sub(r" +([,.;:!?])", r"\1", text).strip()


def _bullet_items(line: str, values: TemplateValues) -> list[str]:
    body = line.lstrip()[2:].strip()
    whole = _FIELD.fullmatch(body)
    if whole and whole.group(1) in values.lists:
        return [item for item in values.lists[whole.group(1)] if item.strip()]
    item = _tidy(_substitute(body, values))
    return [item] if item else []


def _blocks_of(paragraph: str, values: TemplateValues) -> list[LetterBlock]:
    blocks: list[LetterBlock] = []
    text_lines: list[str] = []
    bullets: list[str] = []

    quote_lines: list[str] = []

    def flush(lines: list[str], kind: BlockKind) -> None:
        if lines:
            filled = _substitute("\n".join(lines), values)
            # A value with blank lines (e.g. a summary of several paragraphs) stays so.
            for part in _PARAGRAPH_BREAK.split(filled):
                tidy = _tidy(part)
                if tidy:
                    blocks.append(LetterBlock(kind, tidy))
            lines.clear()

    def flush_text() -> None:
        flush(text_lines, BlockKind.PARAGRAPH)
        flush(quote_lines, BlockKind.QUOTE)

    def flush_bullets() -> None:
        if bullets:
            blocks.append(LetterBlock(BlockKind.BULLETS, items=tuple(bullets)))
            bullets.clear()

    for line in paragraph.split("\n"):
        stripped = line.strip()
        if stripped.startswith("# "):
            flush_text()
            flush_bullets()
            heading = _tidy(_substitute(stripped[2:], values))
            if heading:
                blocks.append(LetterBlock(BlockKind.HEADING, heading))
        elif stripped.startswith(("- ", "• ")):
            flush_text()
            bullets.extend(_bullet_items(stripped, values))
        elif stripped.startswith(">"):
            flush(text_lines, BlockKind.PARAGRAPH)
            flush_bullets()
            quote_lines.append(stripped[1:].strip())
        else:
            flush_bullets()
            flush(quote_lines, BlockKind.QUOTE)
            text_lines.append(line)
    flush_text()
    flush_bullets()
    return blocks


def fill_template(text: str, values: TemplateValues) -> list[LetterBlock]:
    """The filled template as blocks. The caller has checked it with
    :func:`check_template`; a heading left with nothing after it is dropped."""
    resolved = _apply_conditions(text.replace("\r\n", "\n").replace("\r", "\n"), values)
    blocks: list[LetterBlock] = []
    for paragraph in _PARAGRAPH_BREAK.split(resolved):
        blocks.extend(_blocks_of(paragraph, values))
    return [
        block
        for index, block in enumerate(blocks)
        if block.kind is not BlockKind.HEADING
        or (index + 1 < len(blocks) and blocks[index + 1].kind is not BlockKind.HEADING)
    ]
