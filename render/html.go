package render

import (
	"bufio"
	"html"
	"io"
	"strconv"
	"strings"

	"chancery/drafts"
)

// DiffHTML writes d as an HTML fragment: every provision of the new text
// (and the deleted ones where they stood) in a <div class="provision">
// whose classes name its kind and its changes (unchanged, modified,
// inserted, deleted, moved, renumbered), so that a style sheet can hide the
// unchanged ones. Inserted words are in <ins>, deleted ones in <del>, both
// with data-delegation and title attributes, and each run of changes is
// followed by <sup class="delegation">. Structural changes are also said in
// words in a <p class="change-label">. All text is escaped.
func (r *Renderer) DiffHTML(w io.Writer, d *drafts.Diff) error {
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

// writeHTMLChange writes one provision of DiffHTML: its div, a label
// saying what happened to it, its number and its text with the changes.
func writeHTMLChange(w *bufio.Writer, d *drafts.Diff, c *drafts.Change, nest *drafts.Nesting) {
	f := facetsOf(c)
	dels := changeDelegations(c)
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
		w.WriteString("<ins" + proposedBy(strings.Join(dels, ", ")) + ">" + numberHTML(c.Number) + esc(c.Text) + "</ins></div>\n")
		return
	case drafts.ChangeDeleted:
		w.WriteString(`<p class="change-label">Deleted` + by + "</p>")
		w.WriteString("<del" + proposedBy(strings.Join(dels, ", ")) + ">" + numberHTML(oldNumber(c)) + esc(c.OldText) + "</del></div>\n")
		return
	}
	if f.moved {
		w.WriteString(`<p class="change-label">Moved ` + esc(placeAfter(d, c.After, "to the start")) + by + "</p>")
	}
	if f.renumbered {
		w.WriteString(`<span class="number"><del class="number-old">` + esc(oldNumber(c)) + `</del> → <ins class="number-new">` + esc(c.Number) + "</ins></span> ")
	} else {
		w.WriteString(numberHTML(c.Number))
	}
	if !f.modified {
		w.WriteString(esc(c.Text) + "</div>\n")
		return
	}
	writeHTMLSegments(w, c)
	w.WriteString("</div>\n")
}

// htmlClasses are the classes of a provision's div in DiffHTML: its kind,
// its changes, a heading's level, and its depth.
func htmlClasses(c *drafts.Change, f facets, nest *drafts.Nesting) []string {
	classes := []string{"provision", c.ProvisionKind}
	switch c.Kind {
	case drafts.ChangeInserted, drafts.ChangeDeleted, drafts.ChangeUnchanged:
		classes = append(classes, c.Kind)
	default:
		if f.modified {
			classes = append(classes, drafts.ChangeModified)
		}
		if f.moved {
			classes = append(classes, drafts.ChangeMoved)
		}
		if f.renumbered {
			classes = append(classes, drafts.ChangeRenumbered)
		}
	}
	if c.ProvisionKind == drafts.KindHeading {
		classes = append(classes, "level-"+strconv.Itoa(headingLevel(c.Number)))
	}
	number := c.Number
	if c.Kind == drafts.ChangeDeleted {
		number = c.OldNumber
	}
	if dc := depthClass(nest, c.ProvisionKind, number); dc != "" {
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
	for _, run := range segmentRuns(modifiedSegments(c), func(s drafts.Segment) string { return segmentTag(s, c) }) {
		writeHTMLSegmentList(w, run.segs, proposedBy(run.tag))
		if run.changed && run.tag != "" {
			w.WriteString(`<sup class="delegation" title="Proposed by ` + esc(run.tag) + `">` + esc(run.tag) + "</sup>")
		}
	}
}

// writeHTMLSegmentList writes segments, insertions in <ins> and deletions
// in <del> with the attributes attrs.
func writeHTMLSegmentList(w *bufio.Writer, segs []drafts.Segment, attrs string) {
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

// numberHTML is a provision's marker in a span, followed by a space; a
// heading's "#" marker is left out (the level is a class).
func numberHTML(number string) string {
	if !numbered(number) {
		return ""
	}
	return `<span class="number">` + esc(number) + "</span> "
}

// depthClass is the class "depth-N" of a provision nested deeper than a
// paragraph (N from 2) or an item under one (N from 3), for the page to
// indent it; "" for the others. It follows the provisions in order.
func depthClass(nest *drafts.Nesting, kind, number string) string {
	d := nest.Depth(kind, number)
	if kind == drafts.KindHeading || kind == drafts.KindItem && d <= 2 || kind != drafts.KindItem && d <= 1 {
		return ""
	}
	return "depth-" + strconv.Itoa(d)
}

// headingLevel is the level of a heading marker: "#" is 1, "##" 2; a
// numbered heading's from its word (Part 1, Chapter 2, Rule 4).
func headingLevel(number string) int {
	return max(drafts.HeadingLevel(number), 1)
}

func esc(s string) string { return html.EscapeString(s) }

// CompilationHTML writes c as an HTML fragment: for each provision of v in
// order, a <section class="entry"> with the provision's text and a
// <div class="proposal op-..."> for each compiled proposal, naming its
// delegations and co-sponsors, with its tracked changes in <ins> and <del>
// and its justifications. All text is escaped.
func (r *Renderer) CompilationHTML(w io.Writer, doc *drafts.Document, v *drafts.Version, c *drafts.Compilation) error {
	if doc == nil || v == nil {
		return drafts.Errorf(drafts.EINTERNAL, "render: CompilationHTML needs a document and a version")
	}
	if c == nil {
		c = &drafts.Compilation{}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`<div class="compilation" data-document="` + esc(doc.ID) + `" data-version="` + strconv.Itoa(v.Number) + `">` + "\n")
	np, nd := c.Counts()
	bw.WriteString(`<p class="compilation-meta"><span class="symbol">` + esc(doc.Symbol) + `</span> <span class="title">` + esc(doc.Title) + `</span>: ` +
		esc(proposalsSummary(v.Number, np, nd)) + "</p>\n")
	writePositionList(bw, labelsFor("en"), "whole-text", "Positions on the text as a whole", c.WholeText)
	var nest drafts.Nesting
	for i := range c.Entries {
		e := &c.Entries[i]
		p := e.Provision
		bw.WriteString(`<section class="entry" data-provision="` + esc(p.ID) + `">` + "\n")
		if p.ID == "" {
			bw.WriteString(`<div class="provision start">At the start of the text</div>` + "\n")
		} else {
			classes := "provision " + p.Kind
			if p.Kind == drafts.KindHeading {
				classes += " level-" + strconv.Itoa(headingLevel(p.Number))
			}
			if dc := depthClass(&nest, p.Kind, p.Number); dc != "" {
				classes += " " + dc
			}
			if p.Status != "" {
				classes += " " + p.Status
			}
			text := esc(p.Text)
			if p.Status == drafts.ProvisionBracketed {
				text = "[" + text + "]"
			}
			bw.WriteString(`<div class="` + esc(classes) + `">` + numberHTML(p.Number) + text + "</div>\n")
		}
		for j := range e.Proposals {
			writeHTMLProposal(bw, c, e, &e.Proposals[j], opPhrase(v, e, &e.Proposals[j]))
		}
		if len(e.Positions) > 0 {
			writePositions(bw, labelsFor("en"), e.Positions)
		}
		bw.WriteString("</section>\n")
	}
	bw.WriteString("</div>\n")
	return bw.Flush()
}

// writeHTMLProposal writes one compiled proposal (what it does: op) in a
// <div class="proposal">, and each sub-amendment to it inside, in a
// <div class="proposal sub-amendment">.
func writeHTMLProposal(w *bufio.Writer, c *drafts.Compilation, e *drafts.CompilationEntry, cp *drafts.CompiledProposal, op string) {
	tag := strings.Join(cp.Delegations, ", ")
	class := "proposal op-" + cp.Op
	if op == subAmendmentPhrase {
		class = "proposal sub-amendment"
	}
	w.WriteString(`<div class="` + esc(class) + `" data-proposals="` + esc(strings.Join(cp.Proposals, " ")) +
		`" data-delegations="` + esc(strings.Join(cp.Delegations, " ")) + `">`)
	w.WriteString(`<p class="proposal-by"><span class="op">` + esc(op) + `</span>`)
	if len(cp.Refs) > 0 {
		w.WriteString(` — <span class="proposal-name">` + esc(c.Proposers(cp, "en")) + "</span>")
	} else {
		w.WriteString(" proposed by ")
		for i, d := range cp.Delegations {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString(`<span class="delegation">` + esc(d) + "</span>")
		}
	}
	if len(cp.Cosponsors) > 0 {
		w.WriteString("; co-sponsored by ")
		for i, d := range c.DelegationNames(cp.Cosponsors, "en") {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString(`<span class="cosponsor">` + esc(d) + "</span>")
		}
	}
	w.WriteString("</p>")
	attrs := ` data-delegation="` + esc(tag) + `" title="Proposed by ` + esc(tag) + `"`
	if segs := proposalSegments(e, cp); len(segs) > 0 {
		w.WriteString(`<div class="proposal-text">`)
		writeHTMLSegmentList(w, segs, attrs)
		w.WriteString("</div>")
	}
	for i, j := range cp.Justifications {
		if strings.TrimSpace(j) == "" {
			continue
		}
		w.WriteString(`<p class="justification">`)
		if who := justificationBy(cp, i); who != "" {
			w.WriteString(`<span class="delegation">` + esc(who) + "</span>: ")
		}
		w.WriteString(esc(j) + "</p>")
	}
	for i := range cp.SubAmendments {
		writeHTMLProposal(w, c, e, &cp.SubAmendments[i], subAmendmentPhrase)
	}
	w.WriteString("</div>\n")
}

// subAmendmentPhrase heads a sub-amendment in a compilation.
const subAmendmentPhrase = "Sub-amendment"

func proposalsSummary(version, proposals, delegations int) string {
	return "version " + strconv.Itoa(version) + ", " + plural(proposals, "open proposal", "open proposals") +
		" by " + plural(delegations, "delegation", "delegations")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// opPhrase says what a compiled proposal does, in English.
func opPhrase(v *drafts.Version, e *drafts.CompilationEntry, cp *drafts.CompiledProposal) string {
	switch cp.Op {
	case drafts.OpReplace:
		return "Amendment"
	case drafts.OpInsert:
		if e.Provision.ID == "" {
			return "Insertion at the start"
		}
		return "Insertion after " + provisionRef(e.Provision.Kind, e.Provision.Number, e.Provision.Text)
	case drafts.OpDelete:
		return "Deletion"
	case drafts.OpMove:
		return "Move " + versionRef(v, cp.After)
	}
	return cp.Op
}

// versionRef says where a provision of v is: "after 3", "to the start".
func versionRef(v *drafts.Version, id string) string {
	if id == "" {
		return "to the start"
	}
	if p, i := v.Provision(id); i >= 0 {
		return "after " + provisionRef(p.Kind, p.Number, p.Text)
	}
	return "after provision " + id
}

// proposalSegments returns the tracked changes of a compiled proposal:
// its segments, or else its text inserted (insert, replace) or the
// provision's text deleted (delete). A move has none.
func proposalSegments(e *drafts.CompilationEntry, cp *drafts.CompiledProposal) []drafts.Segment {
	if len(cp.Segments) > 0 {
		return wholeWords(cp.Segments)
	}
	switch cp.Op {
	case drafts.OpInsert, drafts.OpReplace:
		if cp.Text != "" {
			return []drafts.Segment{{Op: drafts.SegInsert, Text: cp.Text}}
		}
	case drafts.OpDelete:
		return []drafts.Segment{{Op: drafts.SegDelete, Text: e.Provision.Markup()}}
	}
	return nil
}

// justificationBy names who gave the i-th justification, when the
// proposals and delegations of cp pair up one to one.
func justificationBy(cp *drafts.CompiledProposal, i int) string {
	if len(cp.Delegations) == len(cp.Proposals) && i < len(cp.Delegations) {
		return cp.Delegations[i]
	}
	return ""
}
