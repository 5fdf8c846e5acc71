package docx

import (
	"io"
	"strings"

	"chancery/drafts"
	"chancery/internal/wording"
)

// CompilationWord implements drafts.WordWriter: each provision, then the
// proposals on it, each named ("Proposal 7 (Kazakhstan)"), the proposed
// words underlined and the removed ones struck through (formatting, not
// revisions: a compilation is read, not accepted), with the
// justifications; the sub-amendments to a proposal below it, indented
// further, with their changes to its text.
func (w *Word) CompilationWord(out io.Writer, dc *drafts.Document, v *drafts.Version, c *drafts.Compilation) error {
	d := &doc{lab: wording.For(dc.Language)}
	d.header(dc, d.lab.Pick("Compilation of proposals on ", "Сборник предложений к ")+strings.ToLower(d.lab.VersionDate(v)[:1])+d.lab.VersionDate(v)[1:])
	cw := &compilationWriter{d: d, c: c, lang: d.lab.Pick("en", "ru"), opName: map[string]string{
		drafts.OpReplace: d.lab.Pick("amend", "изменить"),
		drafts.OpInsert:  d.lab.Pick("insert after", "вставить после"),
		drafts.OpDelete:  d.lab.Pick("delete", "исключить"),
		drafts.OpMove:    d.lab.Pick("move", "перенести"),
	}}
	d.positions(d.lab.Pick("Positions on the text as a whole", "Позиции по тексту в целом"), c.WholeText)
	for _, e := range c.Entries {
		if e.Provision.ID != "" {
			d.para(para{style: provisionStyle(e.Provision), runs: d.notedRuns(provisionText(e.Provision), run{}), keepNext: len(e.Proposals) > 0 || len(e.Positions) > 0})
		} else if len(e.Proposals) > 0 {
			d.para(para{style: styleNote, runs: []run{{text: d.lab.Pick("At the start of the text", "В начале текста"), italic: true}}})
		}
		for i := range e.Proposals {
			cw.proposal(e, &e.Proposals[i], 0, cw.opName[e.Proposals[i].Op])
		}
		d.positions("", e.Positions)
	}
	return d.write(out, dc, false)
}

// compilationWriter writes the proposals of a compilation.
type compilationWriter struct {
	d      *doc
	c      *drafts.Compilation
	lang   string
	opName map[string]string
}

// proposalIndent is the left indent of the ChanceryProposal style, and
// subIndent how much further a sub-amendment is indented than the
// proposal it amends, in twips (1 cm each). A paragraph's own indent
// replaces its style's.
const (
	proposalIndent = 567
	subIndent      = 567
)

// proposal writes a compiled proposal on entry e at indent: who proposed
// it and what it does (op), its words, its justifications; then its
// sub-amendments.
func (cw *compilationWriter) proposal(e drafts.CompilationEntry, p *drafts.CompiledProposal, indent int, op string) {
	d := cw.d
	who := cw.c.Proposers(p, cw.lang)
	if len(p.Cosponsors) > 0 {
		who += d.lab.Pick(" (co-sponsored by ", " (соавторы: ") + strings.Join(cw.c.DelegationNames(p.Cosponsors, cw.lang), ", ") + ")"
	}
	d.para(para{style: "ChanceryProposal", keepNext: true, indent: indent, runs: []run{{text: who + ": ", bold: true}, {text: op, italic: true}}})
	var runs []run
	switch {
	case len(p.Segments) > 0:
		runs = d.segmentRuns(p.Segments, func(s drafts.Segment) run {
			return run{text: s.Text, under: s.Op == drafts.SegInsert, strike: s.Op == drafts.SegDelete}
		})
	case p.Op == drafts.OpDelete:
		runs = d.notedRuns(provisionText(e.Provision), run{strike: true})
	case p.Op == drafts.OpInsert:
		runs = d.notedRuns(p.Text, run{under: true})
	case p.Text != "":
		runs = d.notedRuns(p.Text, run{})
	}
	if len(runs) > 0 {
		d.para(para{style: "ChanceryProposal", indent: indent, runs: runs})
	}
	for _, j := range p.Justifications {
		if strings.TrimSpace(j) != "" {
			d.para(para{style: "ChanceryProposal", indent: indent, runs: []run{{text: j, italic: true}}})
		}
	}
	for i := range p.SubAmendments {
		cw.proposal(e, &p.SubAmendments[i], max(indent, proposalIndent)+subIndent, d.lab.Pick("sub-amendment", "подпоправка"))
	}
}
