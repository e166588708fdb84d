#!/usr/bin/python3
"""Render a `tmux capture-pane -p -e -N` capture (text with SGR escapes) to a PNG.

usage: ansi2png.py CAPTURE.ans OUT.png COLS ROWS
Needs Debian's python3-pil and fonts-dejavu-core (run with /usr/bin/python3).
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SIZE = 16
PALETTE = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205),
           (229, 229, 229), (118, 118, 118), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234),
           (214, 112, 214), (41, 184, 219), (255, 255, 255)]
DEFAULT_FG, DEFAULT_BG = (220, 220, 220), (24, 24, 28)


def color256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[n // 6 % 6], steps[n % 6]
    v = 8 + (n - 232) * 10
    return v, v, v


def fonts(bold):
    names = ("DejaVuSansMono-Bold.ttf", "DejaVuSans-Bold.ttf") if bold else ("DejaVuSansMono.ttf", "DejaVuSans.ttf")
    return [ImageFont.truetype(FONT_DIR + n, SIZE) for n in names]


REGULAR, BOLD = fonts(False), fonts(True)
MISSING = {}


def has_glyph(font, ch):
    key = id(font)
    if key not in MISSING:
        MISSING[key] = bytes(font.getmask("\U0010FFFD"))
    return bytes(font.getmask(ch)) != MISSING[key]


def cell_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def main():
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    ascent, descent = REGULAR[0].getmetrics()
    cw, ch_h = round(REGULAR[0].getlength("M")), ascent + descent + 2
    pad = 12
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch_h + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    text = open(src, encoding="utf-8").read().split("\n")[:rows]
    for y, line in enumerate(text):
        st = {"fg": None, "bg": None, "bold": False, "dim": False, "rev": False, "ul": False}
        x = 0
        for token in re.split(r"(\x1b\[[0-9;:]*m)", line):
            if token.startswith("\x1b["):
                params = [int(p or 0) for p in re.split("[;:]", token[2:-1])] or [0]
                i = 0
                while i < len(params):
                    p = params[i]
                    if p == 0:
                        st.update(fg=None, bg=None, bold=False, dim=False, rev=False, ul=False)
                    elif p == 1:
                        st["bold"] = True
                    elif p == 2:
                        st["dim"] = True
                    elif p == 4:
                        st["ul"] = True
                    elif p == 7:
                        st["rev"] = True
                    elif p == 22:
                        st["bold"] = st["dim"] = False
                    elif p == 24:
                        st["ul"] = False
                    elif p == 27:
                        st["rev"] = False
                    elif 30 <= p <= 37:
                        st["fg"] = PALETTE[p - 30]
                    elif 90 <= p <= 97:
                        st["fg"] = PALETTE[p - 82]
                    elif 40 <= p <= 47:
                        st["bg"] = PALETTE[p - 40]
                    elif 100 <= p <= 107:
                        st["bg"] = PALETTE[p - 92]
                    elif p == 39:
                        st["fg"] = None
                    elif p == 49:
                        st["bg"] = None
                    elif p in (38, 48) and i + 2 < len(params):
                        if params[i + 1] == 5:
                            col = color256(params[i + 2])
                            i += 2
                        else:
                            col = tuple(params[i + 2:i + 5])
                            i += 4
                        st["fg" if p == 38 else "bg"] = col
                    i += 1
                continue
            for ch in token:
                w = cell_width(ch)
                if w == 0:
                    continue
                fg, bg = st["fg"] or DEFAULT_FG, st["bg"] or DEFAULT_BG
                if st["rev"]:
                    fg, bg = bg, fg
                if st["dim"]:
                    fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
                px, py = pad + x * cw, pad + y * ch_h
                if bg != DEFAULT_BG:
                    draw.rectangle([px, py, px + w * cw - 1, py + ch_h - 1], fill=bg)
                if ch.strip():
                    family = BOLD if st["bold"] else REGULAR
                    font = next((f for f in family if has_glyph(f, ch)), family[0])
                    draw.text((px, py + 1), ch, font=font, fill=fg)
                if st["ul"]:
                    draw.line([px, py + ch_h - 2, px + w * cw - 1, py + ch_h - 2], fill=fg)
                x += w
    img.save(out)


if __name__ == "__main__":
    main()
