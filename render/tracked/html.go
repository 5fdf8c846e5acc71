package tracked

import (
	"bufio"
	"html"
	"io"
	"strconv"
	"strings"

	"chancery/drafts"
)

// HTML writes d as an HTML fragment: every provision of the new text
// (and the deleted ones where they stood) in a <div class="provision">
// whose classes name its kind and its changes (unchanged, modified,
// inserted, deleted, moved, renumbered), so that a style sheet can hide the
// unchanged ones. Inserted words are in <ins>, deleted ones in <del>, both
// with data-delegation and title attributes, and each run of changes is
// followed by <sup class="delegation">. Structural changes are also said in
// words in a <p class="change-label">. All text is escaped.
func HTML(w io.Writer, d *drafts.Diff) error {
	if d == nil {
		d = &drafts.Diff{}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`<div class="diff">` + "\n")
	if d.Coarse {
		bw.WriteString(`<p class="diff-note">The word diff hit its limit; some changes are shown as whole-text replacements.</p>` + "\n")
	}
	var nest drafts.Nesting
	for i := range d.Changes {
		writeHTMLChange(bw, d, &d.Changes[i], &nest)
	}
	bw.WriteString("</div>\n")
	return bw.Flush()
}

// writeHTMLChange writes one provision of HTML: its div, a label
// saying what happened to it, its number and its text with the changes.
func writeHTMLChange(w *bufio.Writer, d *drafts.Diff, c *drafts.Change, nest *drafts.Nesting) {
	f := FacetsOf(c)
	dels := ChangeDelegations(c)
	w.WriteString(`<div class="` + esc(strings.Join(htmlClasses(c, f, nest), " ")) + `" data-provision="` + esc(c.Provision) + `"`)
	by := ""
	if len(dels) > 0 {
		w.WriteString(` data-delegations="` + esc(strings.Join(dels, " ")) + `"`)
		by = ` <span class="delegation">[` + esc(strings.Join(dels, ", ")) + `]</span>`
	}
	w.WriteString(">")
	switch c.Kind {
	case drafts.ChangeInserted:
		w.WriteString(`<p class="change-label">Inserted ` + esc(placeAfter(d, c.After, "at the start")) + by + "</p>")
		w.WriteString("<ins" + proposedBy(strings.Join(dels, ", ")) + ">" + NumberHTML(c.Number) + esc(c.Text) + "</ins></div>\n")
		return
	case drafts.ChangeDeleted:
		w.WriteString(`<p class="change-label">Deleted` + by + "</p>")
		w.WriteString("<del" + proposedBy(strings.Join(dels, ", ")) + ">" + NumberHTML(OldNumber(c)) + esc(c.OldText) + "</del></div>\n")
		return
	}
	if f.Moved {
		w.WriteString(`<p class="change-label">Moved ` + esc(placeAfter(d, c.After, "to the start")) + by + "</p>")
	}
	if f.Renumbered {
		w.WriteString(`<span class="number"><del class="number-old">` + esc(OldNumber(c)) + `</del> → <ins class="number-new">` + esc(c.Number) + "</ins></span> ")
	} else {
		w.WriteString(NumberHTML(c.Number))
	}
	if !f.Modified {
		w.WriteString(esc(c.Text) + "</div>\n")
		return
	}
	writeHTMLSegments(w, c)
	w.WriteString("</div>\n")
}

// htmlClasses are the classes of a provision's div in HTML: its kind,
// its changes, a heading's level, and its depth.
func htmlClasses(c *drafts.Change, f Facets, nest *drafts.Nesting) []string {
	classes := []string{"provision", c.ProvisionKind}
	switch c.Kind {
	case drafts.ChangeInserted, drafts.ChangeDeleted, drafts.ChangeUnchanged:
		classes = append(classes, c.Kind)
	default:
		if f.Modified {
			classes = append(classes, drafts.ChangeModified)
		}
		if f.Moved {
			classes = append(classes, drafts.ChangeMoved)
		}
		if f.Renumbered {
			classes = append(classes, drafts.ChangeRenumbered)
		}
	}
	if c.ProvisionKind == drafts.KindHeading {
		classes = append(classes, "level-"+strconv.Itoa(HeadingLevel(c.Number)))
	}
	number := c.Number
	if c.Kind == drafts.ChangeDeleted {
		number = c.OldNumber
	}
	if dc := DepthClass(nest, c.ProvisionKind, number); dc != "" {
		classes = append(classes, dc)
	}
	return classes
}

// placeAfter says where a provision now stands: "after 3", or start when
// it is first.
func placeAfter(d *drafts.Diff, after, start string) string {
	if after == "" {
		return start
	}
	return "after " + diffRef(d, after)
}

// proposedBy is the attributes of an <ins> or <del> proposed by the
// delegations del ("" for none).
func proposedBy(del string) string {
	if del == "" {
		return ""
	}
	return ` data-delegation="` + esc(del) + `" title="Proposed by ` + esc(del) + `"`
}

// writeHTMLSegments writes a modified provision's words: insertions in
// <ins>, deletions in <del>, and after each run of changes the
// delegation that proposed it.
func writeHTMLSegments(w *bufio.Writer, c *drafts.Change) {
	for _, run := range SegmentRuns(ModifiedSegments(c), func(s drafts.Segment) string { return SegmentTag(s, c) }) {
		WriteHTMLSegmentList(w, run.Segs, proposedBy(run.Tag))
		if run.Changed && run.Tag != "" {
			w.WriteString(`<sup class="delegation" title="Proposed by ` + esc(run.Tag) + `">` + esc(run.Tag) + "</sup>")
		}
	}
}

// WriteHTMLSegmentList writes segments, insertions in <ins> and deletions
// in <del> with the attributes attrs.
func WriteHTMLSegmentList(w *bufio.Writer, segs []drafts.Segment, attrs string) {
	for _, s := range segs {
		switch s.Op {
		case drafts.SegInsert:
			w.WriteString("<ins" + attrs + ">" + esc(s.Text) + "</ins>")
		case drafts.SegDelete:
			w.WriteString("<del" + attrs + ">" + esc(s.Text) + "</del>")
		default:
			w.WriteString(esc(s.Text))
		}
	}
}

// NumberHTML is a provision's marker in a span, followed by a space; a
// heading's "#" marker is left out (the level is a class).
func NumberHTML(number string) string {
	if !Numbered(number) {
		return ""
	}
	return `<span class="number">` + esc(number) + "</span> "
}

// DepthClass is the class "depth-N" of a provision nested deeper than a
// paragraph (N from 2) or an item under one (N from 3), for the page to
// indent it; "" for the others. It follows the provisions in order.
func DepthClass(nest *drafts.Nesting, kind, number string) string {
	d := nest.Depth(kind, number)
	if kind == drafts.KindHeading || kind == drafts.KindItem && d <= 2 || kind != drafts.KindItem && d <= 1 {
		return ""
	}
	return "depth-" + strconv.Itoa(d)
}

// HeadingLevel is the level of a heading marker: "#" is 1, "##" 2; a
// numbered heading's from its word (Part 1, Chapter 2, Rule 4).
func HeadingLevel(number string) int {
	return max(drafts.HeadingLevel(number), 1)
}

func esc(s string) string { return html.EscapeString(s) }
