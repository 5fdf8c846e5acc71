package render

import (
	"bufio"
	"html"
	"io"
	"strconv"
	"strings"

	"chancery/drafts"
	"chancery/render/tracked"
)

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
				classes += " level-" + strconv.Itoa(tracked.HeadingLevel(p.Number))
			}
			if dc := tracked.DepthClass(&nest, p.Kind, p.Number); dc != "" {
				classes += " " + dc
			}
			if p.Status != "" {
				classes += " " + p.Status
			}
			text := esc(p.Text)
			if p.Status == drafts.ProvisionBracketed {
				text = "[" + text + "]"
			}
			bw.WriteString(`<div class="` + esc(classes) + `">` + tracked.NumberHTML(p.Number) + text + "</div>\n")
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
		tracked.WriteHTMLSegmentList(w, segs, attrs)
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
		return "Insertion after " + tracked.ProvisionRef(e.Provision.Kind, e.Provision.Number, e.Provision.Text)
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
		return "after " + tracked.ProvisionRef(p.Kind, p.Number, p.Text)
	}
	return "after provision " + id
}

// proposalSegments returns the tracked changes of a compiled proposal:
// its segments, or else its text inserted (insert, replace) or the
// provision's text deleted (delete). A move has none.
func proposalSegments(e *drafts.CompilationEntry, cp *drafts.CompiledProposal) []drafts.Segment {
	if len(cp.Segments) > 0 {
		return tracked.WholeWords(cp.Segments)
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

func esc(s string) string { return html.EscapeString(s) }
