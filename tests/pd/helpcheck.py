#!/usr/bin/env python3
"""helpcheck.py HELP.pd OUT.pd -- a test patch that sends every program message of a help patch to
[phonon~], in the order they appear in the file.

A program message is a message box whose first word is 'eval', 'text' or a statement head (~name,
out, dN, oN, bpm:, tempo:, cps:). Boxes with Pd arguments ($1) are skipped: they need a number from
Pd. The [text define] objects of the help patch (with their contents) are copied too, so 'text
name' works. The boxes are copied in Pd's file form, so they reach [phonon~] exactly as they do
when clicked. OUT.pd quits by itself with 0 when it has sent everything.
"""
import re
import sys


def records(text):
    """the patch's records: split at ';' that ends a line and is not escaped"""
    out, cur = [], []
    for line in text.split("\n"):
        cur.append(line)
        if re.search(r"(?<!\\);\s*$", line):
            out.append(" ".join(cur).strip())
            cur = []
    return out


def is_head(word):
    w = word[:-1] if word.endswith(":") else word
    if word.startswith("~"):
        return len(word) > 1
    if word.endswith(":") and w in ("bpm", "tempo", "cps"):
        return True
    if w == "out" or (w.startswith("out") and w[3:].isdigit()):
        return True
    return len(w) > 1 and w[0] in "do" and w[1:].isdigit()


def main(help_path, out_path):
    recs = records(open(help_path).read())
    msgs, texts = [], []
    for i, r in enumerate(recs):
        if r.startswith("#X obj ") and " text define" in r:
            block = [r]
            if i + 1 < len(recs) and recs[i + 1].startswith("#A "):
                block.append(recs[i + 1])
            texts.append(block)
        if not r.startswith("#X msg "):
            continue
        body = r.split(" ", 4)[4]
        body = re.sub(r", f \d+;$", ";", body)[:-1].strip()
        first = body.split()[0] if body.split() else ""
        if "\\$" in body or not (first in ("eval", "text") or is_head(first)):
            continue
        msgs.append(body)
    n = len(msgs)
    lines = ["#N canvas 0 50 900 600 12;",
             "#X obj 20 20 loadbang;",
             "#X obj 20 50 t b" + " b" * n + ";",
             "#X obj 20 400 phonon~ -nosystem -ins 1;",
             "#X msg 20 80 \\; pd quit 0;"]
    for k, body in enumerate(msgs):
        lines.append("#X msg 200 %d %s;" % (80 + 25 * k, body))
    for k, block in enumerate(texts):
        lines.append(re.sub(r"^#X obj \d+ \d+", "#X obj 600 %d" % (80 + 30 * k), block[0]))
        lines.extend(block[1:])
    lines.append("#X connect 0 0 1 0;")
    lines.append("#X connect 1 0 3 0;")
    for k in range(n):
        lines.append("#X connect 1 %d %d 0;" % (n - k, 4 + k))
        lines.append("#X connect %d 0 2 0;" % (4 + k))
    open(out_path, "w").write("\n".join(lines) + "\n")
    print("%d program messages, %d [text define]s" % (n, len(texts)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
