package render

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"chancery/drafts"
	"chancery/render/tracked"
)

// StateOfPlayHTML writes a state of play as an HTML fragment, in the
// document's language: a summary line, what keeps the text from adoption,
// the chart (StateOfPlaySVG, inline), a table of the sections' counts (the
// chart's numbers as text), then every provision with its status, the
// open proposals on it and the positions of delegations. All text is
// escaped.
func (r *Renderer) StateOfPlayHTML(w io.Writer, doc *drafts.Document, s *drafts.StateOfPlay) error {
	if doc == nil || s == nil {
		return drafts.Errorf(drafts.EINTERNAL, "render: StateOfPlayHTML needs a document and a state of play")
	}
	bw := bufio.NewWriter(w)
	l := labelsFor(doc.Language)
	fmt.Fprintf(bw, `<div class="state-of-play" lang="%s" data-document="%s" data-version="%d">`+"\n", esc(doc.Language), esc(doc.ID), s.Version)
	fmt.Fprintf(bw, `<p class="state-meta"><span class="symbol">%s</span> <span class="title">%s</span>: %s</p>`+"\n",
		esc(doc.Symbol), esc(doc.Title), esc(stateSummary(l, s)))
	if len(s.NotAgreed) > 0 {
		bw.WriteString(`<p class="not-agreed">` + esc(notAgreedLine(l, s.NotAgreed)) + "</p>\n")
	}
	bw.WriteString(`<figure class="state-chart">`)
	c := newChart(doc, s)
	c.write(bw)
	bw.WriteString("</figure>\n")
	writeSectionTable(bw, l, c)
	writePositionList(bw, l, "whole-text", l.Pick("Positions on the text as a whole", "Позиции по тексту в целом"), s.WholeText)
	writePositionList(bw, l, "removed", l.Pick("Positions on provisions no longer in the text", "Позиции по положениям, которых больше нет в тексте"), s.Removed)
	bw.WriteString(`<ol class="provisions">` + "\n")
	for i := range s.Items {
		writeStateItem(bw, l, &s.Items[i])
	}
	bw.WriteString("</ol>\n</div>\n")
	return bw.Flush()
}

// stateSummary says a state of play in one line: version, date, share
// agreed, proposals and positions.
func stateSummary(l labels, s *drafts.StateOfPlay) string {
	t := s.Overall
	return fmt.Sprintf(l.Pick("%s; as of %s; %s agreed (%d of %d provisions, ad ref included); %d open proposals; %d positions.",
		"%s; по состоянию на %s; согласовано %s (%d из %d положений, включая ad ref); открытых предложений: %d; позиций: %d."),
		l.VersionDate(&drafts.Version{Number: s.Version, CreatedAt: s.Created}), l.DateTime(s.AsOf), percent(t.AgreedShare),
		t.Agreed+t.AgreedAdRef, t.Provisions, s.OpenProposals, s.OpenPositions)
}

// notAgreedLine says what keeps the text from adoption.
func notAgreedLine(l labels, obs []drafts.Obstacle) string {
	var parts []string
	for _, o := range obs {
		if o.Reason == drafts.ProvisionBracketed {
			parts = append(parts, o.Name+l.Pick(" is in square brackets", ": в квадратных скобках"))
			continue
		}
		where := o.Name
		if where == "" {
			where = l.Pick("the text as a whole", "текст в целом")
		}
		name := o.DelegationName
		if name == "" {
			name = o.Delegation
		}
		parts = append(parts, name+l.Pick(" cannot join consensus on ", " не может присоединиться к консенсусу: ")+where)
	}
	return l.Pick("Not yet agreed: ", "Ещё не согласовано: ") + strings.Join(parts, "; ") + "."
}

// writeSectionTable writes the chart's numbers as a table.
func writeSectionTable(w *bufio.Writer, l labels, c *chart) {
	w.WriteString(`<table class="sections"><caption>` + esc(l.Pick("Agreement by section", "Согласование по разделам")) + "</caption>\n<thead><tr>")
	heads := []string{l.Pick("Section", "Раздел"), l.Pick("Provisions", "Положений"), l.Status(drafts.ProvisionAgreed),
		l.Status(drafts.ProvisionAgreedAdRef), l.Status(drafts.ProvisionBracketed), l.Status(drafts.ProvisionPending), l.Pick("Agreed share", "Доля согласованного")}
	for _, h := range heads {
		w.WriteString(`<th scope="col">` + esc(h) + "</th>")
	}
	w.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range c.rows {
		t := row.t
		fmt.Fprintf(w, `<tr class="%s" data-section="%s"><th scope="row">%s</th><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td></tr>`+"\n",
			row.class, esc(row.id), esc(row.title), t.Provisions, t.Agreed, t.AgreedAdRef, t.Bracketed, t.Pending, percent(t.AgreedShare))
	}
	w.WriteString("</tbody></table>\n")
}

// writePositionList writes positions under a heading, if there are any.
func writePositionList(w *bufio.Writer, l labels, class, heading string, ps []*drafts.Position) {
	if len(ps) == 0 {
		return
	}
	w.WriteString(`<section class="positions ` + class + `"><h3>` + esc(heading) + "</h3>\n")
	writePositions(w, l, ps)
	w.WriteString("</section>\n")
}

// writePositions writes positions as a list.
func writePositions(w *bufio.Writer, l labels, ps []*drafts.Position) {
	w.WriteString(`<ul class="positions">`)
	for _, p := range ps {
		fmt.Fprintf(w, `<li class="position %s %s" data-position="%s" data-delegation="%s">%s</li>`, esc(p.Kind), esc(p.Standing), esc(p.ID), esc(p.Delegation), esc(l.PositionLine(p)))
	}
	w.WriteString("</ul>\n")
}

// writeStateItem writes one provision of the state of play.
func writeStateItem(w *bufio.Writer, l labels, it *drafts.ProvisionState) {
	fmt.Fprintf(w, `<li class="provision %s %s" data-provision="%s" data-section="%s">`, esc(it.Kind), esc(it.Status), esc(it.ID), esc(it.Section))
	if tracked.Numbered(it.Number) {
		w.WriteString(`<span class="number">` + esc(it.Number) + "</span> ")
	}
	w.WriteString(`<span class="status">` + esc(l.Status(it.Status)) + `</span> <span class="text">` + esc(tracked.Excerpt(it.Text, 200)) + "</span>")
	if len(it.Proposals) > 0 {
		w.WriteString(`<p class="proposals">` + esc(l.Pick("Open proposals: ", "Открытые предложения: ")))
		for i, p := range it.Proposals {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString(`<span class="proposal" data-proposal="` + esc(p.ID) + `">` + esc(p.ID) + " (" + esc(strings.Join(append([]string{p.Delegation}, p.Cosponsors...), ", ")) + ")</span>")
		}
		w.WriteString("</p>")
	}
	if len(it.Positions) > 0 {
		writePositions(w, l, it.Positions)
	}
	w.WriteString("</li>\n")
}

// stateCounts says the numbers of a tally for a print's list, in words.
func stateCounts(l labels, t drafts.Tally) string {
	return percent(t.AgreedShare) + " · " + strconv.Itoa(t.Agreed) + " " + l.Status(drafts.ProvisionAgreed) + " · " +
		strconv.Itoa(t.AgreedAdRef) + " ad ref · " + strconv.Itoa(t.Bracketed) + " " + l.Status(drafts.ProvisionBracketed) + " · " +
		strconv.Itoa(t.Pending) + " " + l.Status(drafts.ProvisionPending)
}
