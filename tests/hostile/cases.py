"""The hostile corpus: each case changes a copy of ``tests/fixtures/valid/small``.

Broken cases change one file, mostly, and list the exact lines ``playbook check`` prints. Payload cases each
write a pattern, a policy, a learning and a use case of their own with the payload in every text field, all into
one copy; the site must show each payload as text and run none of it.
Content is built in code where it is large (a 5 MB string, 100,000 brackets, billion laughs) or
where the bytes matter (a byte-order mark, Latin-1, a tab), so no editor can "fix" it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Make = Callable[[Path], None]
"""Changes a copy of the base playbook, given its root, into the hostile one."""

PWNED = "pwned"
"""A file the unsafe-tag cases try to create beside the playbook; it must never appear."""

BASE_FILES = 10
"""How many YAML files the base playbook holds, as the summary line counts them."""


@dataclass(frozen=True)
class BrokenCase:
    name: str
    """What is broken, as the test id."""
    make: Make
    """Breaks a copy of the base playbook."""
    expected: list[str]
    """The exact lines `playbook check` prints: the problems, then the summary."""


@dataclass(frozen=True)
class PayloadCase:
    name: str
    """What the payload tries, as the test id."""
    payload: str
    """Text put into every text field of a pattern, a policy and a learning."""
    shown_in_markdown: str | None = None
    """What a Markdown field shows of the payload, where Markdown itself formats part of it."""
    markdown_extra: str = ""
    """More Markdown appended to the Markdown fields only: links, raw HTML, reference definitions."""
    markdown_extra_shown: list[str] = field(default_factory=list)
    """Text of ``markdown_extra`` that must still be visible."""
    reference_url: str = "https://example.com/gateway"
    """The pattern's reference address: a valid URL that may still hold characters meant to break out."""


def write(rel: str, content: str | bytes) -> Make:
    def make(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")

    return make


def edit(rel: str, old: str, new: str) -> Make:
    """Replace the first ``old`` in a file of the base playbook; the case fails loudly if it is not there."""

    def make(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise AssertionError(f"{rel} no longer holds {old!r}; update the hostile case")
        path.write_bytes(text.replace(old, new, 1).encode("utf-8"))

    return make


def edit_bytes(rel: str, old: bytes, new: bytes) -> Make:
    def make(root: Path) -> None:
        path = root / rel
        data = path.read_bytes()
        if old not in data:
            raise AssertionError(f"{rel} no longer holds {old!r}; update the hostile case")
        path.write_bytes(data.replace(old, new, 1))

    return make


def reencode(rel: str, encoding: str) -> Make:
    def make(root: Path) -> None:
        path = root / rel
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return make


def rename(rel: str, new_rel: str) -> Make:
    def make(root: Path) -> None:
        (root / rel).rename(root / new_rel)

    return make


def link(rel: str, target: Callable[[Path], Path]) -> Make:
    """A symbolic link at ``rel`` to ``target(root)``; a target outside the root is written first."""

    def make(root: Path) -> None:
        where = target(root)
        if not where.exists() and not where.is_relative_to(root):
            where.write_text((root / "patterns" / "rag-search.yml").read_text(encoding="utf-8"), encoding="utf-8")
        (root / rel).symlink_to(where)

    return make


def move_out_and_link(rel: str) -> Make:
    """Move a file beside the playbook and leave a link to it in its place."""

    def make(root: Path) -> None:
        outside = root.parent / Path(rel).name
        (root / rel).rename(outside)
        (root / rel).symlink_to(outside)

    return make


def pwn(root: Path) -> str:
    return f"touch {root.parent / PWNED}"


def replace_summary(tagged: Callable[[Path], str]) -> Make:
    """Line 3 of llm-gateway.yml becomes ``summary: <tagged value>``."""

    def make(root: Path) -> None:
        path = root / "patterns" / "llm-gateway.yml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        assert lines[2].startswith("summary: ")
        lines[2] = f"summary: {tagged(root)}\n"
        path.write_text("".join(lines), encoding="utf-8")

    return make


def billion_laughs() -> str:
    """Nine levels of ten aliases each: 10^9 strings if an unguarded loader expanded them."""
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return "\n".join(lines) + "\n"


def nested_brackets(depth: int) -> str:
    return "id: llm-gateway\ntiers: " + "[" * depth + "]" * depth + "\n"


def one(path: str, line: int, column: int, message: str, code: str, files: int = BASE_FILES) -> list[str]:
    """The two lines `playbook check` prints for a single error."""
    return [f"{path}:{line}:{column}: error: {message} [{code}]", f"1 error, 0 warnings in {files} files"]


GATEWAY = "patterns/llm-gateway.yml"
POLICY = "policies/pii-redaction.yml"
LEARNING = "learnings/triage-missed-new-claim-types.yml"
USECASE = "usecases/claims-triage.yml"
RIGHTS = "framework/decision-rights.yml"
CYRILLIC_A = "\u0430"
"""CYRILLIC SMALL LETTER A: looks exactly like the Latin 'a'."""

BROKEN: list[BrokenCase] = [
    BrokenCase(
        "yaml-unclosed-flow-list",
        edit(GATEWAY, "tiers: [minimal, elevated, high]", "tiers: [minimal, elevated, high"),
        one(GATEWAY, 8, 10, "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence "
            "that began on line 7, column 8", "yaml-syntax"),
    ),
    BrokenCase(
        "yaml-bad-indentation",
        edit(GATEWAY, "  - kind: monitoring", "   - kind: monitoring"),
        one(GATEWAY, 12, 4, "YAML syntax error: did not find expected '-' indicator while parsing a block "
            "collection that began on line 10, column 3", "yaml-syntax"),
    ),
    BrokenCase(
        "yaml-unclosed-quote",
        edit(GATEWAY, "owner: Platform team", 'owner: "Platform team'),
        one(GATEWAY, 26, 1, "YAML syntax error: found unexpected end of stream while scanning a quoted scalar "
            "that began on line 6, column 8", "yaml-syntax"),
    ),
    BrokenCase(
        "tab-indentation",
        edit(GATEWAY, "  - kind: monitoring\n    text:", "  - kind: monitoring\n\ttext:"),
        one(GATEWAY, 13, 1, "YAML syntax error: found a tab character that violates indentation while scanning a "
            "plain scalar that began on line 12, column 11 (YAML does not allow tabs for indentation; use spaces)",
            "yaml-syntax"),
    ),
    BrokenCase(
        "list-at-top-of-file",
        write(GATEWAY, "- id: llm-gateway\n- title: LLM gateway\n"),
        one(GATEWAY, 1, 1, "expected a mapping of fields (name: value) at the top of the file, found a list",
            "not-a-mapping"),
    ),
    BrokenCase(
        "scalar-at-top-of-file",
        write(POLICY, "Redact personal data before it leaves the company.\n"),
        one(POLICY, 1, 1, "expected a mapping of fields (name: value) at the top of the file, found a single "
            "value, 'Redact personal data before it leaves the company.'", "not-a-mapping"),
    ),
    BrokenCase(
        "scalar-where-a-mapping-is-expected",
        edit(GATEWAY, "  - kind: monitoring\n    text: Every prompt and response is logged for thirty days.",
             "  - Every prompt and response is logged for thirty days."),
        one(GATEWAY, 12, 5, "controls[1]: expected a mapping, found 'Every prompt and response is logged for "
            "thirty days.'", "wrong-type"),
    ),
    BrokenCase(
        "list-where-text-is-expected",
        edit(GATEWAY, "title: LLM gateway", "title: [LLM, gateway]"),
        one(GATEWAY, 2, 8, "title: expected text, found a list", "wrong-type"),
    ),
    BrokenCase(
        "mapping-where-a-list-is-expected",
        edit(GATEWAY, "tiers: [minimal, elevated, high]", "tiers: {minimal: yes}"),
        one(GATEWAY, 7, 8, "tiers: expected a list, found a mapping", "wrong-type"),
    ),
    BrokenCase(
        "empty-file",
        write(POLICY, ""),
        one(POLICY, 1, 1, "file is empty; expected a mapping of fields", "not-a-mapping"),
    ),
    BrokenCase(
        "only-comments",
        write(POLICY, "# id: pii-redaction\n# everything commented out\n"),
        one(POLICY, 1, 1, "file is empty; expected a mapping of fields", "not-a-mapping"),
    ),
    BrokenCase(
        "byte-order-mark",
        edit_bytes(GATEWAY, b"id: llm-gateway", b"\xef\xbb\xbfid: llm-gateway"),
        one(GATEWAY, 1, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM", "encoding"),
    ),
    BrokenCase(
        "latin-1-bytes",
        edit_bytes(GATEWAY, b"owner: Platform team", b"owner: Plattform-\xe9quipe"),
        one(GATEWAY, 6, 18, "file is not valid UTF-8 (byte 0xe9); save it as UTF-8", "encoding"),
    ),
    BrokenCase(
        "utf-16-file",
        reencode(POLICY, "utf-16"),
        one(POLICY, 1, 1, "file is not valid UTF-8 (byte 0xff); save it as UTF-8", "encoding"),
    ),
    BrokenCase(
        "nul-byte",
        edit_bytes(GATEWAY, b"owner: Platform team", b"owner: Platform\x00team"),
        one(GATEWAY, 6, 1, "file contains a NUL character", "encoding"),
    ),
    BrokenCase(
        "control-character",
        edit_bytes(GATEWAY, b"owner: Platform team", b"owner: Platform\x1bteam"),
        one(GATEWAY, 6, 16, "file contains the character U+001B, which YAML does not allow; remove it", "encoding"),
    ),
    BrokenCase(
        "surrogate-escape",
        edit(GATEWAY, "title: LLM gateway", 'title: "LLM \\ud800 gateway"'),
        one(GATEWAY, 2, 15, "YAML syntax error: found invalid Unicode character escape code while parsing a "
            "quoted scalar that began on line 2, column 8", "yaml-syntax"),
    ),
    BrokenCase(
        "duplicate-key",
        edit(GATEWAY, "owner: Platform team", "owner: Platform team\ntitle: Shadow gateway"),
        one(GATEWAY, 7, 1, "duplicate key 'title' (first set on line 2)", "duplicate-key"),
    ),
    BrokenCase(
        "duplicate-key-nested",
        edit(GATEWAY, "    text: Keys stay", "    kind: cost\n    text: Keys stay"),
        one(GATEWAY, 11, 5, "duplicate key 'kind' (first set on line 10)", "duplicate-key"),
    ),
    BrokenCase(
        "two-documents",
        edit(POLICY, "review_by: 2099-12-31\n", "review_by: 2099-12-31\n---\nid: pii-redaction-again\n"),
        one(POLICY, 11, 1, "the file holds more than one YAML document; keep one item per file", "yaml-syntax"),
    ),
    BrokenCase(
        "file-over-1-mib",
        replace_summary(lambda _root: "x" * (5 * 1024 * 1024)),
        one(GATEWAY, 1, 1, "file is 5.0 MiB; playbook files are limited to 1 MiB", "too-large"),
    ),
    BrokenCase(
        "field-over-its-length-cap",
        edit(GATEWAY, "how_it_works: |\n  Applications call",
             "how_it_works: |\n  " + "y" * (500 * 1024) + "\n  Applications call"),
        one(GATEWAY, 18, 15, "how_it_works is 512,082 characters long; the limit is 20,000", "too-long"),
    ),
    BrokenCase(
        "100000-nested-brackets",
        write(GATEWAY, nested_brackets(100_000)),
        one(GATEWAY, 2, 39, "values are nested more than 32 levels deep", "too-deep"),
    ),
    BrokenCase(
        "deep-block-mappings",
        write(GATEWAY, "id: llm-gateway\nnest:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200))),
        one(GATEWAY, 34, 65, "values are nested more than 32 levels deep", "too-deep"),
    ),
    BrokenCase(
        "billion-laughs",
        write(POLICY, billion_laughs()),
        one(POLICY, 6, 63, "the document expands to more than 100,000 values (are aliases repeating each other?)",
            "too-large"),
    ),
    BrokenCase(
        "alias-fan-out",
        write(POLICY, "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 1000) + "]\n"),
        one(POLICY, 2, 397, "the document expands to more than 100,000 values (are aliases repeating each other?)",
            "too-large"),
    ),
    BrokenCase(
        "unknown-alias",
        edit(GATEWAY, "owner: Platform team", "owner: *team"),
        one(GATEWAY, 6, 8, "unknown alias '*team'", "yaml-syntax"),
    ),
    BrokenCase(
        "python-object-apply",
        replace_summary(lambda root: f'!!python/object/apply:os.system ["{pwn(root)}"]'),
        one(GATEWAY, 3, 10, "tag '!!python/object/apply:os.system' is not allowed: playbook files hold plain data "
            "only; remove the tag", "unsafe-tag"),
    ),
    BrokenCase(
        "python-object-new-block",
        replace_summary(lambda root: f"!!python/object/new:subprocess.check_output\n  args: [[sh, -c, '{pwn(root)}']]"),
        one(GATEWAY, 3, 10, "tag '!!python/object/new:subprocess.check_output' is not allowed: playbook files "
            "hold plain data only; remove the tag", "unsafe-tag"),
    ),
    BrokenCase(
        "python-name-scalar",
        replace_summary(lambda _root: "!!python/name:os.system ''"),
        one(GATEWAY, 3, 10, "tag '!!python/name:os.system' is not allowed: playbook files hold plain data only; "
            "remove the tag", "unsafe-tag"),
    ),
    BrokenCase(
        "local-tag",
        replace_summary(lambda _root: "!include ../../mkdocs.yml"),
        one(GATEWAY, 3, 10, "tag '!include' is not allowed: playbook files hold plain data only; remove the tag",
            "unsafe-tag"),
    ),
    BrokenCase(
        "merge-key",
        edit(GATEWAY, "owner: Platform team", "<<: {owner: Platform team}"),
        one(GATEWAY, 6, 1, "'<<' has a special meaning in YAML that playbook files do not use; write the fields "
            "out in full, or quote it if it is text", "yaml-syntax"),
    ),
    BrokenCase(
        "mapping-as-key",
        edit(GATEWAY, "owner: Platform team", "? [owner]\n: Platform team"),
        one(GATEWAY, 6, 9, "a mapping key must be plain text", "yaml-syntax"),
    ),
    BrokenCase(
        "huge-number",
        edit(GATEWAY, "review_by: 2099-12-31", "review_by: " + "9" * 5000),
        one(GATEWAY, 25, 12, "'999999999999999999999999999999999999999999999999999999999...' has too many digits "
            "to be a number; quote it if it is text", "bad-value"),
    ),
    BrokenCase(
        "file-name-differs-from-id",
        rename(GATEWAY, "patterns/llm-gateway-v2.yml"),
        one("patterns/llm-gateway-v2.yml", 1, 5, "id 'llm-gateway' does not match the file name; rename the file "
            "to llm-gateway.yml or set id: llm-gateway-v2", "file-name"),
    ),
    BrokenCase(
        "yaml-extension",
        rename(POLICY, "policies/pii-redaction.yaml"),
        [
            "policies/pii-redaction.yaml:1:1: error: playbook files end in .yml, not .yaml; rename the file "
            "[file-name]",
            f"1 error, 0 warnings in {BASE_FILES - 1} files",
        ],
    ),
    BrokenCase(
        "cyrillic-letter-in-id",
        edit(GATEWAY, "id: llm-gateway", f"id: llm-g{CYRILLIC_A}teway"),
        one(GATEWAY, 1, 5, f"id: 'llm-g{CYRILLIC_A}teway' is not a valid id; use lower-case letters, digits and "
            "single hyphens, such as 'llm-gateway'; it contains U+0430 (CYRILLIC SMALL LETTER A), which is not "
            "ASCII", "bad-id"),
    ),
    BrokenCase(
        "cyrillic-letter-in-reference",
        edit(POLICY, "patterns: [llm-gateway]", f"patterns: [llm-g{CYRILLIC_A}teway]"),
        one(POLICY, 7, 12, f"patterns[0]: 'llm-g{CYRILLIC_A}teway' is not a valid id; use lower-case letters, "
            "digits and single hyphens, such as 'llm-gateway'; it contains U+0430 (CYRILLIC SMALL LETTER A), "
            "which is not ASCII", "bad-id"),
    ),
    BrokenCase(
        "cyrillic-letter-in-file-name",
        rename(GATEWAY, f"patterns/llm-g{CYRILLIC_A}teway.yml"),
        one(f"patterns/llm-g{CYRILLIC_A}teway.yml", 1, 5, f"id 'llm-gateway' does not match the file name; rename "
            f"the file to llm-gateway.yml or set id: llm-g{CYRILLIC_A}teway; it contains U+0430 (CYRILLIC SMALL "
            "LETTER A), which is not ASCII", "file-name"),
    ),
    BrokenCase(
        "zero-width-space-in-id",
        edit(GATEWAY, "id: llm-gateway", "id: llm-gate\u200bway"),
        one(GATEWAY, 1, 5, "id: 'llm-gate\\u200bway' is not a valid id; use lower-case letters, digits and "
            "single hyphens, such as 'llm-gateway'; it contains U+200B (ZERO WIDTH SPACE), which is not ASCII",
            "bad-id"),
    ),
    BrokenCase(
        "symlink-outside-the-playbook",
        link("patterns/outside.yml", lambda root: root.parent / "outside.yml"),
        one("patterns/outside.yml", 1, 1, "file is a link to a place outside the playbook; copy the file in "
            "instead", "outside-root"),
    ),
    BrokenCase(
        "symlink-to-system-file",
        link("patterns/passwd.yml", lambda _root: Path("/etc/passwd")),
        one("patterns/passwd.yml", 1, 1, "file is a link to a place outside the playbook; copy the file in "
            "instead", "outside-root"),
    ),
    BrokenCase(
        "symlink-loop",
        link("patterns/loop.yml", lambda root: root / "patterns" / "loop.yml"),
        one("patterns/loop.yml", 1, 1, "file is a link that leads nowhere (broken or looping); fix the link or "
            "copy the file in instead", "unreadable"),
    ),
    BrokenCase(
        "framework-file-links-outside",
        move_out_and_link("framework/roadmap.yml"),
        one("framework/roadmap.yml", 1, 1, "file is a link to a place outside the playbook; copy the file in "
            "instead", "outside-root", files=BASE_FILES - 1),
    ),
    BrokenCase(
        "reference-url-javascript",
        edit(GATEWAY, "url: https://example.com/gateway", "url: javascript:alert(document.cookie)"),
        one(GATEWAY, 24, 10, "references[0].url: 'javascript:alert(document.cookie)' is not an allowed address; "
            "use an http://, https:// or mailto: URL", "bad-url"),
    ),
    BrokenCase(
        "reference-url-data",
        edit(GATEWAY, "url: https://example.com/gateway",
             "url: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
        one(GATEWAY, 24, 10, "references[0].url: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' "
            "is not an allowed address; use an http://, https:// or mailto: URL", "bad-url"),
    ),
    BrokenCase(
        "reference-url-vbscript-mixed-case",
        edit(GATEWAY, "url: https://example.com/gateway", "url: VBScript:MsgBox(1)"),
        one(GATEWAY, 24, 10, "references[0].url: 'VBScript:MsgBox(1)' is not an allowed address; use an "
            "http://, https:// or mailto: URL", "bad-url"),
    ),
    BrokenCase(
        "learning-unclosed-flow-list",
        edit(LEARNING, "patterns: [llm-gateway]", "patterns: [llm-gateway"),
        one(LEARNING, 11, 9, "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence "
            "that began on line 10, column 11", "yaml-syntax"),
    ),
    BrokenCase(
        "learning-python-object-tag",
        edit(LEARNING, "title: Claims triage", "title: !!python/object/apply:os.system [\"touch pwned\"] #"),
        one(LEARNING, 2, 8, "tag '!!python/object/apply:os.system' is not allowed: playbook files hold plain data "
            "only; remove the tag", "unsafe-tag"),
    ),
    BrokenCase(
        "learning-javascript-in-team",
        edit(LEARNING, "team: claims-team", "team: javascript:alert(1)"),
        one(LEARNING, 4, 7, "team: 'javascript:alert(1)' is not a valid id; use lower-case letters, digits and "
            "single hyphens, such as 'llm-gateway'", "bad-id"),
    ),
    BrokenCase(
        "reference-url-breaks-out-of-attribute",
        edit(GATEWAY, "url: https://example.com/gateway", "url: 'https://example.com/\" onmouseover=\"alert(1)'"),
        one(GATEWAY, 24, 10, "references[0].url: 'https://example.com/\" onmouseover=\"alert(1)' is not an "
            "allowed address; use an http://, https:// or mailto: URL", "bad-url"),
    ),
]


TEMPLATE_PAYLOADS: list[PayloadCase] = [
    PayloadCase("jinja-config", "{{ config }}"),
    PayloadCase("jinja-class-mro", "{{ ''.__class__.__mro__ }}", shown_in_markdown="{{ ''.class.mro }}"),
    PayloadCase("jinja-include", "{% include 'mkdocs.yml' %}"),
    PayloadCase("jinja-raw-block", "{% raw %}{{ config.site_name }}{% endraw %}"),
    PayloadCase("jinja-raw-escape", "{% endraw %}{{ config.site_name }}{% raw %}"),
    PayloadCase("macro-call", "{{ pattern_catalog() }} {{ printable() }}"),
    PayloadCase(
        "jinja-in-code",
        "{{ config.site_name }} {%- set x = 1 %}{# hidden #}",
        markdown_extra="`{{ config }}`\n\n```\n{% include 'mkdocs.yml' %}\n```",
        markdown_extra_shown=["{{ config }}", "{% include 'mkdocs.yml' %}"],
    ),
]

HTML_PAYLOADS: list[PayloadCase] = [
    PayloadCase("script-element", "<script>alert(1)</script>"),
    PayloadCase("img-onerror", "<img src=x onerror=alert(1)>"),
    PayloadCase("svg-onload-iframe", "<svg onload=alert(1)><iframe src=javascript:alert(2)></iframe>"),
    PayloadCase("closing-tags", "</title></textarea></script><script>alert(1)</script>"),
    PayloadCase("attribute-double-quote", '" onmouseover="alert(1)" x="'),
    PayloadCase("attribute-single-quote", "' onmouseover='alert(1)' x='",
                reference_url="https://example.com/'onmouseover='alert(1)'"),
    PayloadCase("attr-list-syntax", '{: onclick="alert(1)" } { onmouseover=alert(2) }'),
    PayloadCase(
        "markdown-in-plain-text",
        "[click](javascript:alert(1)) **bold** `code` a | b <https://example.com/a> ![i](x)",
        shown_in_markdown="click bold code a | b https://example.com/a",
        reference_url="https://example.com/[x](javascript:alert(2))",
    ),
    PayloadCase(
        "markdown-links",
        "Links",
        markdown_extra=(
            "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(2)) [ent](jav&#x61;script:alert(3)) "
            "[sp]( javascript:alert(4)) [vb](vbscript:msgbox(5)) [dt](data:text/html;base64,PHNjcmlwdD4=) "
            "![img](javascript:alert(6)) ![svg](data:image/svg+xml;base64,PHN2Zz4=) [ref][evil] "
            "<javascript:alert(7)> [ok](https://example.com/ok)\n\n"
            "[evil]: javascript:alert(8)"
        ),
        markdown_extra_shown=["js JS ent sp vb dt", "ref", "<javascript:alert(7)>", "ok"],
    ),
    PayloadCase(
        "raw-html-in-markdown",
        "Raw",
        markdown_extra=(
            '<div onclick="alert(1)">block</div>\n\n'
            '<a href="javascript:alert(2)">inline</a> <b onmouseover=alert(3)>bold</b> <!-- hidden -->\n\n'
            "<style>body{display:none}</style>\n\n"
            '<object data="javascript:alert(4)"></object><embed src="data:text/html,x"><base href="javascript:/">'
        ),
        markdown_extra_shown=['<div onclick="alert(1)">block</div>', '<a href="javascript:alert(2)">inline</a>',
                              "<!-- hidden -->", "<style>body{display:none}</style>"],
    ),
]


PATTERN_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    # field label -> where it is shown, besides the pattern's own page and the print page
    "title": ("catalog", "policy", "policy-index", "assessment"),
    "summary": ("catalog",),
    "category": ("catalog",),
    "owner": (),
    "platforms": (),
    "controls-0-text": (),
    "controls-1-text": (),
    "when-to-use": (),
    "when-not-to-use": (),
    "how-it-works": (),
    "adopted-by": (),
    "aliases": ("catalog",),
    "references-title": (),
}
POLICY_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("pattern", "policy-index"),
    "statement": (),
    "rationale": (),
    "owner": ("policy-index",),
    "exceptions": (),
    "aliases": (),
}
LEARNING_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("learning-index", "pattern", "policy", "usecase"),
    "what-happened": (),
    "impact": (),
    "what-changed": (),
}
USECASE_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    # What a use case built itself: its note is shown on the candidates page (as a watch-list entry) too.
    "built-note": ("candidates",),
}
MARKDOWN_FIELDS = {("pattern", "how-it-works"), ("policy", "statement"), ("policy", "rationale"),
                   ("policy", "exceptions"), ("learning", "what-happened"), ("learning", "impact"),
                   ("learning", "what-changed")}
TEXT_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "pattern": PATTERN_TEXT_FIELDS, "policy": POLICY_TEXT_FIELDS, "learning": LEARNING_TEXT_FIELDS,
    "usecase": USECASE_TEXT_FIELDS}
"""Each kind's text fields, by label, and where each is shown besides the item's own page and the print page."""


def label(kind: str, field_label: str, case: PayloadCase) -> str:
    """What a field's text starts with, so each field of each case can be found on a page that shows many."""
    return f"{kind}-{field_label}-{case.name}"


def labelled(kind: str, field_label: str, case: PayloadCase) -> str:
    """The text a field holds: its label, then the payload."""
    text = f"{label(kind, field_label, case)} {case.payload}"
    if (kind, field_label) in MARKDOWN_FIELDS and case.markdown_extra:
        text += "\n\n" + case.markdown_extra
    return text


def shown(kind: str, field_label: str, case: PayloadCase) -> str:
    """What a reader sees of the field, whitespace collapsed."""
    payload = case.payload
    if (kind, field_label) in MARKDOWN_FIELDS and case.shown_in_markdown is not None:
        payload = case.shown_in_markdown
    return " ".join(f"{label(kind, field_label, case)} {payload}".split())


def item_ids(case: PayloadCase) -> dict[str, str]:
    """The ids of the items a case writes, by kind: a pattern, a policy, a learning and a use case of its own."""
    return {kind: f"{kind}-{case.name}" for kind in TEXT_FIELDS}


def plain(case: PayloadCase) -> PayloadCase:
    """The case with plain words for a payload: its items, pages and labels, and nothing hostile."""
    return PayloadCase(case.name, "plain words")


def payload_pattern(case: PayloadCase) -> dict[str, Any]:
    def t(field_label: str) -> str:
        return labelled("pattern", field_label, case)

    return {
        "id": item_ids(case)["pattern"],
        "title": t("title"),
        "summary": t("summary"),
        "status": "adopted",
        "category": t("category"),
        "owner": t("owner"),
        "tiers": ["minimal", "elevated", "high"],
        "platforms": [t("platforms")],
        "controls": [{"kind": "security", "text": t("controls-0-text")},
                     {"kind": "monitoring", "text": t("controls-1-text")}],
        "when_to_use": [t("when-to-use")],
        "when_not_to_use": [t("when-not-to-use")],
        "how_it_works": t("how-it-works"),
        "related": ["rag-search"],
        "adopted_by": [t("adopted-by")],
        "aliases": [t("aliases")],
        "references": [{"title": t("references-title"), "url": case.reference_url}],
        "review_by": "2099-12-31",
    }


def payload_policy(case: PayloadCase) -> dict[str, Any]:
    def t(field_label: str) -> str:
        return labelled("policy", field_label, case)

    return {
        "id": item_ids(case)["policy"],
        "title": t("title"),
        "statement": t("statement"),
        "rationale": t("rationale"),
        "tiers": ["elevated", "high"],
        "patterns": [item_ids(case)["pattern"]],
        "owner": t("owner"),
        "exceptions": t("exceptions"),
        "aliases": [t("aliases")],
        "review_by": "2099-12-31",
    }


def payload_learning(case: PayloadCase) -> dict[str, Any]:
    def t(field_label: str) -> str:
        return labelled("learning", field_label, case)

    ids = item_ids(case)
    return {
        "id": ids["learning"],
        "title": t("title"),
        "date": "2025-03-10",
        "team": "claims-team",
        "status": "addressed",
        "what_happened": t("what-happened"),
        "impact": t("impact"),
        "patterns": [ids["pattern"]],
        "policies": [ids["policy"]],
        "usecases": [ids["usecase"]],
        "what_changed": t("what-changed"),
    }


def payload_usecase(root: Path, case: PayloadCase) -> dict[str, Any]:
    """The base playbook's use case as the case's own, citing its pattern, with a part it built: the payload as
    the part's note. With candidates from two teams on, the base playbook's one team puts the capability on the
    candidates page's watch list, where each use case's note is shown."""
    data = yaml.safe_load((root / USECASE).read_text(encoding="utf-8"))
    ids = item_ids(case)
    return {**data, "id": ids["usecase"], "patterns": [ids["pattern"]],
            "built": [{"capability": "claim-form-reading", "note": labelled("usecase", "built-note", case)}]}


def dump(data: dict[str, Any]) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    # safe_dump quotes the date as text; the model wants a YAML date.
    return text.replace("review_by: '2099-12-31'", "review_by: 2099-12-31").replace("date: '2025-03-10'",
                                                                                      "date: 2025-03-10")


def write_payloads(root: Path, cases: list[PayloadCase]) -> None:
    """Each case's pattern, policy, learning and use case beside the base playbook's own items."""
    for case in cases:
        ids = item_ids(case)
        usecase = payload_usecase(root, case)
        for folder, kind, data in (("patterns", "pattern", payload_pattern(case)),
                                   ("policies", "policy", payload_policy(case)),
                                   ("learnings", "learning", payload_learning(case)), ("usecases", "usecase", usecase)):
            path = root / folder / f"{ids[kind]}.yml"
            assert not path.exists(), f"{path} is in the base playbook already"
            path.write_text(dump(data), encoding="utf-8")
    rights = root / RIGHTS
    rights.write_text(rights.read_text(encoding="utf-8") + "pattern_candidate_teams: 2\n", encoding="utf-8")


FRAMEWORK_PAYLOAD = "[x](javascript:alert(1)) <script>alert(2)</script> <img src=x onerror=alert(3)> {{ config }}"
"""Appended to the text of the framework files and the pilot: the tables, roadmap and matrix show it too."""
FRAMEWORK_TEXT_KEYS = {"title", "goal", "duration", "name", "description", "text", "help", "label", "turnaround",
                       "exit_criteria", "sponsor", "value"}


def _with_payload(data: Any, payload: str) -> Any:
    if isinstance(data, dict):
        return {
            key: (f"{value} {payload}" if isinstance(value, str) and key in FRAMEWORK_TEXT_KEYS
                  else [f"{v} {payload}" for v in value] if key == "exit_criteria"
                  else _with_payload(value, payload))
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_with_payload(value, payload) for value in data]
    return data


def write_framework_payload(root: Path, payload: str = FRAMEWORK_PAYLOAD) -> None:
    for path in [*(root / "framework").glob("*.yml"), *(root / "pilots").glob("*.yml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = yaml.safe_dump(_with_payload(data, payload), allow_unicode=True, sort_keys=False, width=10_000)
        path.write_text(text, encoding="utf-8")
