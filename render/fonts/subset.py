#!/usr/bin/python3
"""Makes the document fonts of render/fonts from Debian's fonts-noto-core.

    apt-get install fonts-noto-core python3-fonttools
    /usr/bin/python3 render/fonts/subset.py   # from the repository root

Noto Serif, for the text, and Noto Sans, for page headers, labels and
tags (each regular, bold, italic; Noto Project, SIL Open Font License 1.1,
see OFL.txt), subset with fontTools to the characters negotiated texts use:
Latin with Latin-1, Extended-A and -B and Extended Additional (Vietnamese,
Turkish, Azerbaijani...), combining marks, Greek, Cyrillic with its
Supplement (Kazakh, Kyrgyz, Tajik, Mongolian...), general punctuation (no-break
hyphen U+2011, dashes, quotes; not the invisible formatting characters,
which are never printed), currency signs, letterlike symbols (№), and
the arrows U+2190-U+2193, which both lack, copied from Noto Sans Math. Hinting and OpenType layout tables are dropped: the PDF library
neither hints nor shapes. gofpdf subsets each PDF further to the glyphs it
uses.
"""
import os
from fontTools import subset
from fontTools.ttLib import TTFont

NOTO = "/usr/share/fonts/truetype/noto"
OUT = os.path.dirname(os.path.abspath(__file__))
UNICODES = ("U+0020-007E,U+00A0-024F,U+0259,U+02B9-02DD,U+0300-036F,"
            "U+0370-03FF,U+0400-052F,U+1E00-1EFF,U+2000-200A,U+2010-2027,"
            "U+202F-205F,U+20A0-20BF,"
            "U+2100-2122,U+2212,U+2215,U+2264,U+2265,U+FB01,U+FB02")
ARROWS = range(0x2190, 0x2194)


def make(family, face):
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "DSIG"]
    font = TTFont(f"{NOTO}/{family}-{face}.ttf", recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=subset.parse_unicodes(UNICODES))
    sub.subset(font)

    # Copy the arrows from Noto Sans Math (same units per em).
    donor = TTFont(f"{NOTO}/NotoSansMath-Regular.ttf")
    assert donor["head"].unitsPerEm == font["head"].unitsPerEm
    dcmap = donor.getBestCmap()
    order = font.getGlyphOrder()
    for cp in ARROWS:
        name = f"uni{cp:04X}"
        src = dcmap[cp]
        font["glyf"].glyphs[name] = donor["glyf"][src]  # simple glyphs
        font["hmtx"].metrics[name] = donor["hmtx"].metrics[src]
        order.append(name)
        for t in font["cmap"].tables:
            if t.isUnicode():
                t.cmap[cp] = name
    font.setGlyphOrder(order)
    font["maxp"].numGlyphs = len(order)
    font["post"].formatType = 3.0  # no glyph names
    font.save(f"{OUT}/{family}-{face}.ttf")


for family in ("NotoSerif", "NotoSans"):
    for face in ("Regular", "Bold", "Italic"):
        make(family, face)
