package render

import (
	"io"
	"math"
	"strings"

	"chancery/drafts"
	"chancery/render/tracked"
)

// AgreedPDF writes the clean text of v as a PDF: a masthead with the
// forum's name, the owning body, the symbol and the date; the title, the
// version's number, date and short hash, and the adoption line (by
// consensus or silence procedure, and when) or "Draft, not adopted";
// then the provisions, headings in bold, paragraphs and items with their
// numbers in hanging indents, bracketed provisions in [ ], their notes
// (and v.TitleNotes, on the title) as footnotes. Every page
// repeats the header and has the symbol and "Page X of Y" in its footer.
//
// It returns EINVALID naming the characters when the text holds some no
// font can show (or when the fallback font given to New is unusable),
// and EINTERNAL when the PDF library fails.
func (r *Renderer) AgreedPDF(w io.Writer, doc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) error {
	return r.pdf("AgreedPDF", doc != nil && v != nil, func() error { return r.agreedPDF(w, doc, v, round) })
}

func (r *Renderer) agreedPDF(w io.Writer, doc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) error {
	d := r.newPDF(doc, doc.Title)
	d.mastRight = d.lab.Date(v.CreatedAt)
	if v.CreatedAt.IsZero() {
		d.mastRight = ""
	}
	notes := []string{d.lab.version(v)}
	d.titleNotes = v.TitleNotes
	d.titleBlock(doc.Title, notes, d.lab.Adoption(doc, v, round))
	bracketed := false
	for _, p := range v.Provisions {
		if p.Status == drafts.ProvisionBracketed {
			bracketed = true
			break
		}
	}
	if bracketed {
		d.add(&block{
			spans: []span{span1(d.lab.Pick("Text in square brackets is not yet agreed.", "Текст в квадратных скобках ещё не согласован."), style{face: faceSansItalic, size: smallSize})},
			align: alignCenter, size: smallSize, after: 6,
		})
	}
	g := d.gutters(v.Provisions)
	for i, p := range v.Provisions {
		if i == 0 && repeatsTitle(p, doc.Title) {
			continue // the title is printed above
		}
		geo := g.geom(p.Kind, p.Number)
		base := plain(geo.face, geo.size)
		spans := d.notedSpans(p.Text, base)
		if p.Status == drafts.ProvisionBracketed {
			spans = bracket(spans, base)
		}
		d.add(geo.block(spans, markerSpans(p.Kind, p.Number, base)))
	}
	d.authentic(doc, v)
	return d.finish(w)
}

// authentic closes a text adopted in several languages with the line
// saying that its texts are equally authentic, in each of its languages.
func (d *pdfDoc) authentic(doc *drafts.Document, v *drafts.Version) {
	if doc.Adopted == 0 || doc.Adopted != v.Number || len(doc.LanguageVersions) == 0 {
		return
	}
	seen := map[string]bool{}
	before := 18.0
	for _, lang := range doc.AllLanguages() {
		line := labelsFor(lang).Authentic(doc.AllLanguages())
		if seen[line] {
			continue
		}
		seen[line] = true
		d.add(&block{spans: []span{span1(line, plain(faceItalic, bodySize))}, before: before})
		before = 4
	}
}

// titleBlock writes the title of a document (bold, centred), then the
// notes (small) and the status line (italic) under it.
func (d *pdfDoc) titleBlock(title string, notes []string, status string) {
	if strings.TrimSpace(title) != "" {
		d.add(&block{spans: d.titleSpans(title, plain(faceBold, 15)), align: alignCenter, size: 15, leading: 1.25, after: 6})
	}
	for _, n := range notes {
		if n == "" {
			continue
		}
		d.add(&block{spans: []span{span1(n, plain(faceSans, smallSize))}, align: alignCenter, size: smallSize, after: 2})
	}
	if status != "" {
		d.add(&block{spans: []span{span1(status, plain(faceSansItalic, 10))}, align: alignCenter, size: 10, before: 2, after: 4})
	}
	d.add(&block{spans: nil, size: 6, after: 6}) // a little space before the text
}

// bracket puts spans in square brackets.
func bracket(spans []span, st style) []span {
	st.deco = decoNone
	st.face = faceBold
	out := make([]span, 0, len(spans)+2)
	out = append(out, span{text: "[", st: st})
	out = append(out, spans...)
	return append(out, span{text: "]", st: st})
}

// markerSpans is the printed number of a provision ("3.", "(a)", "Rule
// 3."); "#" headings and unnumbered paragraphs have none.
func markerSpans(kind, number string, st style) []span {
	if !tracked.Numbered(number) {
		return nil
	}
	st.deco = decoNone
	return []span{span1(number, st)}
}

// gutters are the indents of numbered provisions: paragraph text starts
// para points from the margin (and para more for each level of a decimal
// number), item text item points further than its paragraph's.
type gutters struct {
	para, item float64
	numbered   bool // some paragraph is numbered
	// nest follows the provisions in order, for their depth.
	nest *drafts.Nesting
	// items follows the items in order, for their level: (i) under (a)
	// is indented one item gutter more.
	items *itemNesting
}

// gutters measures the widest numbers of the provisions.
func (d *pdfDoc) gutters(lists ...[]drafts.Provision) gutters {
	g := gutters{nest: &drafts.Nesting{}, items: &itemNesting{}}
	st := plain(faceRegular, bodySize)
	for _, ps := range lists {
		for _, p := range ps {
			if !tracked.Numbered(p.Number) || p.Kind == drafts.KindHeading {
				continue
			}
			w := d.measure(p.Number, st)
			if p.Kind == drafts.KindItem {
				g.item = math.Max(g.item, w)
			} else {
				g.para = math.Max(g.para, w)
				g.numbered = true
			}
		}
	}
	if g.numbered {
		g.para = math.Min(math.Max(g.para+numberMinGap, 26), 90)
	}
	g.item = math.Min(math.Max(g.item+numberMinGap, 24), 90)
	return g
}

// geometry is where and how a provision is printed.
type geometry struct {
	x, markerX float64
	face       face
	size       float64
	before     float64
	after      float64
	keepNext   bool
	// inline prints the number before the text, as in "Rule 3. Consensus".
	inline bool
	// preamble prints the opening participle in italics.
	preamble bool
}

// geom places a provision by its kind and number, called once for each
// provision in order: a decimal paragraph is indented by its depth (3.2.1
// under 3.2), an item under the paragraph it follows, and an item under an
// item one item gutter further ((i) under (a), see itemNesting).
func (g gutters) geom(kind, number string) geometry {
	if g.items != nil && kind != drafts.KindItem {
		g.items.reset()
	}
	depth := 1
	if g.nest != nil {
		depth = g.nest.Depth(kind, number)
	}
	switch kind {
	case drafts.KindHeading:
		lvl := tracked.HeadingLevel(number)
		size := 11.5
		switch lvl {
		case 1:
			size = 13
		case 2:
			size = 12
		}
		return geometry{face: faceBold, size: size, before: 13, after: 3, keepNext: true, inline: tracked.Numbered(number)}
	case drafts.KindItem:
		if tracked.Numbered(number) {
			at := g.para * float64(max(depth-1, 1))
			if g.items != nil {
				at += g.item * float64(g.items.level(number)-1)
			}
			return geometry{x: at + g.item, markerX: at, face: faceRegular, size: bodySize, before: 4, after: 0}
		}
	case drafts.KindPreamble:
		return geometry{x: g.para, face: faceRegular, size: bodySize, before: 7, after: 0, preamble: true}
	}
	at := g.para * float64(max(depth-1, 0))
	return geometry{x: at + g.para, markerX: at, face: faceRegular, size: bodySize, before: 7, after: 0}
}

// block makes the block of a provision.
func (geo geometry) block(spans, marker []span) *block {
	if geo.preamble {
		spans = italicOpening(spans)
	}
	if geo.inline && len(marker) > 0 {
		sep := " "
		if len(spans) > 0 && strings.HasPrefix(spans[0].text, "\n") {
			sep = ""
		}
		marker = append([]span(nil), marker...)
		if len(spans) > 0 && spans[0].st.color == marker[0].st.color {
			// An inserted or deleted heading: its number underlined or
			// struck through like its title.
			for i := range marker {
				marker[i].st.deco = spans[0].st.deco
			}
		}
		spans = append(append(marker, span{text: sep, st: marker[len(marker)-1].st}), spans...)
		marker = nil
	}
	return &block{
		spans: spans, x: geo.x, marker: marker, markerX: geo.markerX,
		size: geo.size, before: geo.before, after: geo.after, keepNext: geo.keepNext,
	}
}

// repeatsTitle reports whether a provision is a heading that says the
// document's title again (ignoring case, spacing and a final full stop),
// so that a text whose first line is its title does not print it twice.
// A heading in square brackets (not yet agreed) is never left out.
func repeatsTitle(p drafts.Provision, title string) bool {
	if p.Kind != drafts.KindHeading || p.Status == drafts.ProvisionBracketed {
		return false
	}
	norm := func(s string) string {
		return strings.TrimRight(strings.ToLower(strings.Join(strings.Fields(s), " ")), ".")
	}
	t := norm(title)
	return t != "" && norm(p.Text) == t
}

// italicOpening prints the opening participle of a preambular paragraph
// ("Recognizing", "Deeply concerned") in italics.
func italicOpening(spans []span) []span {
	i := 0
	if len(spans) > 1 && spans[0].text == "[" {
		i = 1 // bracketed
	}
	if i >= len(spans) {
		return spans
	}
	n := drafts.OpeningWords(spans[i].text)
	if n == 0 {
		return spans
	}
	first, rest := spans[i], spans[i]
	first.text, rest.text = first.text[:n], rest.text[n:]
	first.st.face = faceItalic
	out := make([]span, 0, len(spans)+1)
	out = append(out, spans[:i]...)
	out = append(out, first)
	if rest.text != "" {
		out = append(out, rest)
	}
	return append(out, spans[i+1:]...)
}
