#!/usr/bin/env python3
"""layout.py PATCH.pd ... -- no two boxes or comments overlap, and everything fits its window.

Every canvas of each patch (the top one and each subpatch) is checked on its own. The extent of a
box or comment is computed from its text the way Pd 0.53 draws it at the patch's font (12: glyphs
7 x 16 pixels, measured under Xvfb): the text as Pd shows it (escapes undone, a new line after each
';'), wrapped at the box's width (', f N') or at 60 characters, N characters wide (at least 3 for an
object) plus 4 pixels of border (a message box's flag adds 5), and 16 pixels a line plus 5. [cnv] and
the other GUIs take the size their arguments give. Two extents that share any pixel overlap, and an
extent must end inside the window ('#N canvas X Y W H': W x H, less 35 pixels of menu at the top).
Prints one line per problem and "N patches, N canvases, N problems"; exits 1 on any problem.
"""
import re
import sys

FONTS = {8: (5, 11), 10: (6, 13), 12: (7, 16), 16: (10, 19), 24: (14, 29), 36: (22, 44)}
MENU = 35


def records(text):
    out, cur = [], []
    for line in text.split("\n"):
        cur.append(line)
        if re.search(r"(?<!\\);\s*$", line):
            out.append(" ".join(cur).strip()[:-1].rstrip())
            cur = []
    return out


def atoms(body):
    """the words as Pd shows them: escapes undone, ';' and ',' as words of their own"""
    out, cur, i = [], "", 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            cur += body[i + 1]
            i += 2
            continue
        if c in " \t":
            if cur:
                out.append(cur)
            cur = ""
        elif c in ";,":
            if cur:
                out.append(cur)
            out.append(c)
            cur = ""
        else:
            cur += c
        i += 1
    if cur:
        out.append(cur)
    return out


def shown_lines(words, width):
    """Pd's text: words joined by spaces, ',' and ';' stuck to the word before, a new line after ';';
    then wrapped at width characters"""
    text, lines = "", []
    for w in words:
        if w in (",", ";"):
            text = text.rstrip(" ") + w + ("\n" if w == ";" else " ")
        else:
            text += w + " "
    for raw in text.rstrip(" \n").split("\n"):
        raw = raw.strip(" ")
        line = ""
        for w in raw.split(" "):
            while len(w) > width:                    # a word longer than the box is cut
                if line:
                    lines.append(line)
                    line = ""
                lines.append(w[:width])
                w = w[width:]
            if not line:
                line = w
            elif len(line) + 1 + len(w) <= width:
                line += " " + w
            else:
                lines.append(line)
                line = w
        lines.append(line)
    return lines or [""]


ABSTRACTION_DIRS = ["/usr/lib/puredata/extra", "/usr/lib/pd/extra"]


def gop_size(name, here):
    """the on-parent size of a graph-on-parent abstraction ([output~] is 65 x 55), or None"""
    import os
    for d in [here] + ABSTRACTION_DIRS:
        f = os.path.join(d, name + ".pd")
        if os.path.isfile(f):
            m = re.search(r"^#X coords [-\d.e]+ [-\d.e]+ [-\d.e]+ [-\d.e]+ (\d+) (\d+) ([12])", open(f).read(), re.M)
            return (int(m.group(1)), int(m.group(2))) if m else None
    return None


HERE = "."


def extent(kind, x, y, body, font):
    cw, ch = FONTS.get(font, FONTS[12])
    m = re.search(r", f (\d+)$", body)
    fixed = int(m.group(1)) if m else 0
    if m:
        body = body[:m.start()]
    words = atoms(body)
    if kind == "obj" and words:
        gui = gui_extent(words, x, y)
        if gui:
            return gui
        gop = gop_size(words[0], HERE)
        if gop:
            return (x, y, x + gop[0], y + gop[1])
    lines = shown_lines(words, fixed or 60)
    n = fixed or max(len(l) for l in lines)
    if kind == "obj":
        n = max(n, 3)
    w = n * cw + 4 + (5 if kind == "msg" else 0)
    h = len(lines) * ch + (4 if kind == "text" else 5)
    return (x, y, x + w, y + h)


def gui_extent(w, x, y):
    """the GUIs with a size of their own"""
    try:
        if w[0] == "cnv":
            return (x, y, x + int(w[2]), y + int(w[3]))
        if w[0] in ("tgl", "bng"):
            return (x, y, x + int(w[1]), y + int(w[1]))
        if w[0] in ("hsl", "hslider"):
            return (x, y, x + int(w[1]), y + int(w[2]))
        if w[0] in ("vsl", "vslider"):
            return (x, y, x + int(w[1]), y + int(w[2]))
        if w[0] in ("hradio", "hdl"):
            return (x, y, x + int(w[1]) * int(w[6]), y + int(w[1]))
        if w[0] in ("vradio", "vdl"):
            return (x, y, x + int(w[1]), y + int(w[1]) * int(w[6]))
    except (IndexError, ValueError):
        return None
    return None


def check(path):
    import os
    global HERE
    HERE = os.path.dirname(os.path.abspath(path))
    problems, canvases = 0, 0
    stack = []
    for r in records(open(path).read()):
        head = r.split(" ", 4)
        if r.startswith("#N canvas "):
            p = r.split()
            font = int(p[6]) if len(p) > 6 and stack == [] else (stack[-1]["font"] if stack else 12)
            name = p[6] if stack else "(top)"
            stack.append({"w": int(p[4]), "h": int(p[5]), "items": [], "font": font, "name": name})
            canvases += 1
            continue
        if r.startswith("#X restore "):
            done = stack.pop()
            problems += judge(path, done)
            p = r.split(" ", 4)
            if stack and len(p) > 4:
                ext = extent("obj", int(p[2]), int(p[3]), p[4], stack[-1]["font"])
                stack[-1]["items"].append((ext, "[%s]" % p[4]))
            continue
        if not stack or len(head) < 4 or head[0] != "#X":
            continue
        kind = head[1]
        if kind in ("obj", "msg", "text", "floatatom", "symbolatom", "listbox"):
            try:
                x, y = int(head[2]), int(head[3])
            except ValueError:
                continue
            body = head[4] if len(head) > 4 else ""
            if kind in ("floatatom", "symbolatom", "listbox"):
                width = int(body.split()[0]) or 5
                cw, ch = FONTS.get(stack[-1]["font"], FONTS[12])
                ext = (x, y, x + width * cw + 6, y + ch + 5)
            else:
                ext = extent(kind, x, y, body, stack[-1]["font"])
            label = {"obj": "[%s]", "msg": "[%s(", "text": "'%s'"}.get(kind, "<%s>") % body[:40]
            stack[-1]["items"].append((ext, label))
    while stack:
        problems += judge(path, stack.pop())
    return problems, canvases


def judge(path, cv):
    out = []
    items = cv["items"]
    for i in range(len(items)):
        (a, la) = items[i]
        if a[2] > cv["w"] or a[3] > cv["h"] - MENU:
            out.append("%s: %s: %s ends at %d,%d, outside the window (%dx%d)" %
                       (path, cv["name"], la, a[2], a[3], cv["w"], cv["h"]))
        for j in range(i + 1, len(items)):
            (b, lb) = items[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                out.append("%s: %s: %s at %d,%d-%d,%d overlaps %s at %d,%d-%d,%d" %
                           (path, cv["name"], la, *a, lb, *b))
    for line in out:
        print(line)
    return len(out)


def main(paths):
    total = ncv = 0
    for p in paths:
        n, c = check(p)
        total += n
        ncv += c
    print("%d patches, %d canvases, %d problems" % (len(paths), ncv, total))
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
