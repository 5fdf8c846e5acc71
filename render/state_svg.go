package render

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"chancery/drafts"
	"chancery/render/tracked"
)

// StateOfPlaySVG draws the chart of a state of play as an SVG image: a bar
// per section (the whole text first) split into agreed, agreed ad ref,
// bracketed and pending provisions, each with its counts in words beside
// it; then the agreed share of every version, oldest first. It needs no
// colour to be read: agreed is solid, ad ref hatched, bracketed
// cross-hatched, pending white, and every number is written out. Its
// title and description are its text alternative; each bar carries its
// numbers in data- attributes too (data-agreed, data-agreed-ad-ref,
// data-bracketed, data-pending, data-provisions).
func (r *Renderer) StateOfPlaySVG(w io.Writer, doc *drafts.Document, s *drafts.StateOfPlay) error {
	if doc == nil || s == nil {
		return drafts.Errorf(drafts.EINTERNAL, "render: StateOfPlaySVG needs a document and a state of play")
	}
	bw := bufio.NewWriter(w)
	c := newChart(doc, s)
	c.write(bw)
	return bw.Flush()
}

// The chart's geometry, in pixels.
const (
	chartW      = 960.0
	chartMargin = 16.0
	chartLabelW = 230.0
	chartBarX   = chartMargin + chartLabelW + 10
	chartBarW   = 260.0
	chartRowH   = 24.0
	chartBarH   = 14.0
	chartHistH  = 130.0 // the history's plot, 0 to 100 %
)

// chartStatuses are the parts of a bar, in order, with their fills.
var chartStatuses = []struct{ status, fill string }{
	{drafts.ProvisionAgreed, "#1f4e2c"},
	{drafts.ProvisionAgreedAdRef, "url(#sop-adref)"},
	{drafts.ProvisionBracketed, "url(#sop-bracketed)"},
	{drafts.ProvisionPending, "#ffffff"},
}

// chart is a state of play's chart being drawn.
type chart struct {
	doc  *drafts.Document
	s    *drafts.StateOfPlay
	lab  labels
	rows []chartRow
	h    float64
}

// chartRow is one bar: the whole text or a section.
type chartRow struct {
	class, id, title string
	t                drafts.Tally
}

func newChart(doc *drafts.Document, s *drafts.StateOfPlay) *chart {
	c := &chart{doc: doc, s: s, lab: labelsFor(doc.Language)}
	c.rows = append(c.rows, chartRow{class: "overall", title: c.lab.Pick("Whole text", "Весь текст"), t: s.Overall})
	for _, sec := range s.Sections {
		c.rows = append(c.rows, chartRow{class: "section", id: sec.ID, title: c.sectionTitle(sec), t: sec.Tally})
	}
	c.h = c.historyTop() + 28 + chartHistH + 40
	return c
}

// sectionTitle names a section; the one before the first heading has none.
func (c *chart) sectionTitle(sec drafts.SectionState) string {
	if sec.ID == "" {
		return c.lab.Pick("Before the first heading", "До первого заголовка")
	}
	return sec.Title
}

// historyTop is where the history's heading starts.
func (c *chart) historyTop() float64 { return 64 + float64(len(c.rows))*chartRowH + 24 }

func (c *chart) write(w *bufio.Writer) {
	l := c.lab
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="sop-title sop-desc" lang="%s" xml:lang="%[1]s" width="%g" height="%g" viewBox="0 0 %g %g" font-family="Noto Sans, DejaVu Sans, Arial, sans-serif" font-size="12" class="state-chart">`+"\n",
		esc(c.doc.Language), chartW, c.h, chartW, c.h)
	fmt.Fprintf(w, `<title id="sop-title">%s</title>`+"\n", esc(c.title()))
	fmt.Fprintf(w, `<desc id="sop-desc">%s</desc>`+"\n", esc(c.description()))
	w.WriteString(`<defs>` +
		`<pattern id="sop-adref" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="2.2" height="6" fill="#1f4e2c"/></pattern>` +
		`<pattern id="sop-bracketed" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><path d="M0 0L6 6M6 0L0 6" stroke="#7a1010" stroke-width="1.2"/></pattern>` +
		"</defs>\n")
	fmt.Fprintf(w, `<rect width="%g" height="%g" fill="#ffffff"/>`+"\n", chartW, c.h)
	c.text(w, chartMargin, 22, l.Pick("Agreement by section", "Согласование по разделам"), `font-size="14" font-weight="bold"`)
	c.legend(w, 40)
	for i, row := range c.rows {
		c.row(w, row, 64+float64(i)*chartRowH)
	}
	c.history(w)
	w.WriteString("</svg>\n")
}

// title is the chart's title: the document and its version.
func (c *chart) title() string {
	return c.lab.Pick("State of play: ", "Ход согласования: ") + c.doc.Symbol + ", " + c.lab.VersionDate(&drafts.Version{Number: c.s.Version, CreatedAt: c.s.Created})
}

// description is the chart's text alternative: every number it shows.
func (c *chart) description() string {
	var b strings.Builder
	for _, row := range c.rows {
		b.WriteString(row.title + ": " + c.counts(row.t) + ". ")
	}
	b.WriteString(c.lab.Pick("Agreed share by version: ", "Доля согласованного по редакциям: "))
	for i, h := range c.s.History {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.lab.Pick("version ", "редакция ") + strconv.Itoa(h.Version) + " " + percent(h.Tally.AgreedShare))
	}
	b.WriteString(".")
	return b.String()
}

// counts says a tally in words: "10 provisions, 40% agreed: 3 agreed, 1
// agreed ad ref, 2 bracketed, 4 pending".
func (c *chart) counts(t drafts.Tally) string {
	l := c.lab
	return fmt.Sprintf(l.Pick("%d provisions, %s agreed: %d %s, %d %s, %d %s, %d %s", "положений: %d, согласовано %s: %d %s, %d %s, %d %s, %d %s"),
		t.Provisions, percent(t.AgreedShare), t.Agreed, l.Status(drafts.ProvisionAgreed), t.AgreedAdRef, l.Status(drafts.ProvisionAgreedAdRef),
		t.Bracketed, l.Status(drafts.ProvisionBracketed), t.Pending, l.Status(drafts.ProvisionPending))
}

// legend draws the four swatches and their words.
func (c *chart) legend(w *bufio.Writer, y float64) {
	x := chartMargin
	for _, st := range chartStatuses {
		fmt.Fprintf(w, `<rect x="%g" y="%g" width="18" height="12" fill="%s" stroke="#000000" stroke-width="0.75"/>`, x, y-10, st.fill)
		label := c.lab.Status(st.status)
		c.text(w, x+24, y, label, "")
		x += 24 + float64(len([]rune(label)))*7 + 22
	}
	w.WriteString("\n")
}

// row draws one bar with its title and counts, at y.
func (c *chart) row(w *bufio.Writer, row chartRow, y float64) {
	t := row.t
	fmt.Fprintf(w, `<g class="%s" data-section="%s" data-provisions="%d" data-agreed="%d" data-agreed-ad-ref="%d" data-bracketed="%d" data-pending="%d">`,
		row.class, esc(row.id), t.Provisions, t.Agreed, t.AgreedAdRef, t.Bracketed, t.Pending)
	weight := ""
	if row.class == "overall" {
		weight = `font-weight="bold"`
	}
	c.text(w, chartMargin, y+11, tracked.Excerpt(row.title, 34), weight)
	n := []int{t.Agreed, t.AgreedAdRef, t.Bracketed, t.Pending}
	x := chartBarX
	for i, st := range chartStatuses {
		if n[i] == 0 || t.Provisions == 0 {
			continue
		}
		width := chartBarW * float64(n[i]) / float64(t.Provisions)
		fmt.Fprintf(w, `<rect x="%.2f" y="%g" width="%.2f" height="%g" fill="%s" stroke="#000000" stroke-width="0.75" data-status="%s" data-count="%d"><title>%s</title></rect>`,
			x, y, width, chartBarH, st.fill, st.status, n[i], esc(fmt.Sprintf("%s: %d %s", row.title, n[i], c.lab.Status(st.status))))
		x += width
	}
	if t.Provisions == 0 {
		fmt.Fprintf(w, `<rect x="%g" y="%g" width="%g" height="%g" fill="#ffffff" stroke="#000000" stroke-width="0.75"/>`, chartBarX, y, chartBarW, chartBarH)
	}
	c.text(w, chartBarX+chartBarW+12, y+11, stateCounts(c.lab, t), `font-size="11"`)
	w.WriteString("</g>\n")
}

// history draws the agreed share of every version: a column each, agreed
// solid under agreed ad ref hatched, its share written above it.
func (c *chart) history(w *bufio.Writer) {
	l := c.lab
	top := c.historyTop()
	c.text(w, chartMargin, top+14, l.Pick("Agreed share, version by version", "Доля согласованного по редакциям"), `font-size="14" font-weight="bold"`)
	plotX, plotY := chartMargin+40, top+28
	plotW := chartW - plotX - chartMargin
	base := plotY + chartHistH
	for _, pct := range []float64{0, 0.5, 1} {
		y := base - pct*chartHistH
		fmt.Fprintf(w, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#808080" stroke-width="0.5"/>`, plotX, y, plotX+plotW, y)
		c.text(w, chartMargin, y+4, percent(pct), `font-size="10"`)
	}
	w.WriteString("\n")
	n := len(c.s.History)
	slot := plotW / math.Max(float64(n), 1)
	barW := math.Min(40, slot*0.7)
	every := int(math.Ceil(30 / slot)) // label every k-th column where they would overlap
	for i, h := range c.s.History {
		t := h.Tally
		x := plotX + float64(i)*slot + (slot-barW)/2
		fmt.Fprintf(w, `<g class="version" data-version="%d" data-provisions="%d" data-agreed="%d" data-agreed-ad-ref="%d" data-bracketed="%d" data-pending="%d">`,
			h.Version, t.Provisions, t.Agreed, t.AgreedAdRef, t.Bracketed, t.Pending)
		fmt.Fprintf(w, `<title>%s</title>`, esc(l.Pick("Version ", "Редакция ")+strconv.Itoa(h.Version)+": "+c.counts(t)))
		y := base
		for _, part := range []struct {
			n    int
			fill string
		}{{t.Agreed, chartStatuses[0].fill}, {t.AgreedAdRef, chartStatuses[1].fill}} {
			if part.n == 0 || t.Provisions == 0 {
				continue
			}
			hgt := chartHistH * float64(part.n) / float64(t.Provisions)
			y -= hgt
			fmt.Fprintf(w, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" stroke="#000000" stroke-width="0.75"/>`, x, y, barW, hgt, part.fill)
		}
		if i%max(every, 1) == 0 || i == n-1 {
			c.text(w, x+barW/2, y-4, percent(t.AgreedShare), `font-size="10" text-anchor="middle"`)
			c.text(w, x+barW/2, base+14, l.Pick("v", "ред. ")+strconv.Itoa(h.Version), `font-size="10" text-anchor="middle"`)
		}
		w.WriteString("</g>\n")
	}
}

// text writes a text at (x, y), escaped, with more attributes.
func (c *chart) text(w *bufio.Writer, x, y float64, s, attrs string) {
	fmt.Fprintf(w, `<text x="%.2f" y="%.2f" fill="#000000" %s>%s</text>`, x, y, attrs, esc(s))
}

// percent writes a share as a whole percentage: "40%".
func percent(share float64) string { return strconv.Itoa(int(math.Round(share*100))) + "%" }
