"""Worst-case render time of cop.text.markup.render_markdown for adversarial inputs.

    .venv/bin/python bench/markup.py               # every case at MAX_SOURCE_CHARS, best of 2 runs
    .venv/bin/python bench/markup.py --only '[' -r 3
    .venv/bin/python bench/markup.py --baseline 10000
        # also time plain Python-Markdown + bleach.clean (no neutralization) at 10,000 characters,
        # to see what the bounded pipeline saves; at full size some baselines run for minutes.
    .venv/bin/python bench/markup.py --fuzz 200     # plus 200 random repeated-snippet documents

Prints one line per case: characters, render milliseconds (markdown + sanitize), output size; then
the worst case. Times on a busy machine vary: compare runs made back to back.
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cop.text.markup import MAX_SOURCE_CHARS, render_markdown  # noqa: E402

N = MAX_SOURCE_CHARS


def fill(unit: str, n: int = N) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def dense_document(n: int = N) -> str:
    part = ("## หัวข้อ Heading\n\nSome *emphasis*, **strong**, `code` and a [link](https://example.com/x \"t\") "
            "ผู้รับบริการ ภาษาไทย ![img](https://example.com/i.png).\n\n- item one\n- item **two**\n\n"
            "| a | b |\n|:--|--:|\n| 1 | *2* |\n\n> a quote\n\n```python\nprint('x')\n```\n\n")
    return fill(part, n)


def cases(n: int = N) -> dict[str, str]:
    return {
        # brackets, links, images
        "[ run": "[" * n,
        "] run": "]" * n,
        "[[[x]]] nested": fill("[" * 2000 + "x" + "]" * 2000 + " ", n),
        "[a pairs": fill("[a", n),
        "![ run": fill("![", n),
        "[x]( run": fill("[x](", n),
        "[x]( then ( run": "[x](" + "(" * (n - 4),
        "[x](y) links": fill("[x](https://e.com/y) ", n),
        "[a][b] refs": fill("[a][b] ", n),
        "![a](b) images": fill("![a](https://e.com/b.png) ", n),
        # raw HTML
        "<a run": fill("<a", n),
        "<a_ run": fill("<a ", n),
        "</a run": fill("</a", n),
        "<http:// run": fill("<http://", n),
        "<a x=' run": fill("<a x='", n),
        "<div> run": fill("<div>", n),
        "<b>x</b> pairs": fill("<b>x</b> ", n),
        "<!x lines": fill("<!x\n", n),
        "<? lines": fill("<?\n", n),
        "<!-- run": fill("<!--", n),
        "<script> run": fill("<script>", n),
        "<b> run": fill("<b>", n),
        "<a href> run": fill("<a href='https://e.com'>", n),
        "<blockquote> run": fill("<blockquote>", n),
        "<ul><li> run": fill("<ul><li>", n),
        "<table> run": fill("<table><tr><td>", n),
        "<svg> run": fill("<svg>", n),
        "<b><i></b></i> misnested": fill("<b><i></b></i>x", n),
        "<b title> + paragraphs": "".join(f"<b title={k}>" for k in range(50)) + fill("\n\nx", n - 700),
        # emphasis, escapes, entities
        "* run": "*" * n,
        "_ run": "_" * n,
        "*a unclosed": fill("*a ", n),
        "*a* pairs": fill("*a* ", n),
        "**_a_** pairs": fill("**_a_** ", n),
        "*_ alternating": fill("*_", n),
        "\\ run": "\\" * n,
        "\\* escapes": fill("\\*", n),
        "&amp; entities": fill("&amp;", n),
        "& run": "&" * n,
        # code
        "` run": "`" * n,
        "` pairs": fill("` ", n),
        "`` increasing runs": "".join("`" * k + " x " for k in range(1, 400))[:n],
        "``` lines": fill("```\n", n),
        "```a unclosed": fill("```a\n", n),
        "~~~a unclosed": fill("~~~a\n", n),
        "indented code": fill("    x = [1, 2]\n", n),
        # nesting
        "> run": ">" * n,
        "> _ run": fill("> ", n),
        "> lines 1000 deep": fill(">" * 1000 + " x\n", n),
        "> staircase": "\n".join("> " * i + "x" for i in range(1, 400))[:n],
        "- nested 4-space": "\n".join("    " * i + "- x" for i in range(400))[:n],
        "- nested 2-space": "\n".join("  " * i + "- x" for i in range(500))[:n],
        "1. on one line": fill("1. ", n),
        "- on one line": fill("- ", n),
        "- > on one line": fill("- > ", n),
        # many blocks / lines
        "# header lines": fill("# a\n", n),
        "setext lines": fill("a\n=\n", n),
        "--- lines": fill("---\n", n),
        "> # lines": fill("> # a\n", n),
        "paragraphs": fill("a\n\n", n),
        "- items": fill("- a\n", n),
        "- *items*": fill("- *a*\n", n),
        "table rows": "a|b\n-|-\n" + fill("*a*|b\n", n - 8),
        "table cells": fill("|a", n),
        "[a]: b defs": fill("[a]: b\n", n),
        "[a]: b + text": fill("[a]: b\nx\n", n),
        "hard breaks": fill("a  \n", n),
        # mixed / ordinary
        "mixed [*_<`": fill("[*_<`", n),
        "mixed soup": fill("[a](<*_`>)![\\\n# >- 1. |~~~<a href='", n),
        "dense document": dense_document(n),
        "thai prose": fill("การมีส่วนร่วมของประชาชนในการพัฒนาคุณภาพการบริหารจัดการภาครัฐ ผู้รับบริการ ", n),
    }


SNIPPETS = ["[", "]", "(", ")", "![", "<", ">", "<a ", "</", "<!--", "-->", "*", "_", "`", "```", "~~~",
            "\\", "&", "&amp;", "#", "# ", "-", "- ", "1. ", "> ", "|", "---", "=", "\n", "\n\n", "    ",
            " ", "a", "ก", "x ", ":", "\"", "'", "http://e.com", "<b>", "</b>", "[a]: ", "  \n"]


def fuzz_cases(count: int, n: int = N, seed: int = 1) -> dict[str, str]:
    rng = random.Random(seed)
    out = {}
    for k in range(count):
        unit = "".join(rng.choice(SNIPPETS) for _ in range(rng.randint(1, 8)))
        out[f"fuzz {k}: {unit!r}"[:60]] = fill(unit, n)
    return out


def time_render(fn, text: str, repeat: int) -> tuple[float, int]:
    best = float("inf")
    size = 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        size = len(fn(text))
        best = min(best, time.perf_counter() - start)
    return best * 1000, size


def baseline(text: str) -> str:
    import bleach
    import markdown

    from cop.text.markup import ALLOWED_PROTOCOLS, ALLOWED_TAGS
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    return bleach.clean(html, tags=ALLOWED_TAGS, protocols=ALLOWED_PROTOCOLS, strip=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="run only cases whose name contains this")
    parser.add_argument("-r", "--repeat", type=int, default=2, help="runs per case; the best is shown")
    parser.add_argument("--baseline", type=int, metavar="CHARS",
                        help="also time unbounded Markdown + bleach on the same inputs cut to CHARS")
    parser.add_argument("--fuzz", type=int, default=0, metavar="COUNT", help="add COUNT random documents")
    args = parser.parse_args()

    todo = cases() | fuzz_cases(args.fuzz)
    if args.only:
        todo = {k: v for k, v in todo.items() if args.only in k}
    worst = (0.0, "")
    results = []
    for name, text in todo.items():
        ms, size = time_render(render_markdown, text, args.repeat)
        line = f"{name:<32} {len(text):>7} chars {ms:9.1f} ms  -> {size:>7} chars"
        if args.baseline:
            short = text[:args.baseline]
            try:
                base = f"{time_render(baseline, short, 1)[0]:9.1f} ms"
            except RecursionError:
                base = "RecursionError"
            ours_ms, _ = time_render(render_markdown, short, args.repeat)
            line += f"   | at {len(short)}: unbounded {base}, bounded {ours_ms:7.1f} ms"
        print(line, flush=True)
        results.append((ms, name))
        worst = max(worst, (ms, name))
    results.sort(reverse=True)
    print("slowest:", ", ".join(f"{name} {ms:.0f} ms" for ms, name in results[:5]))
    print(f"worst case {worst[0]:.1f} ms ({worst[1]})")


if __name__ == "__main__":
    main()
