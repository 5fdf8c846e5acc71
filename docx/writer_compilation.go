package docx

import (
	"io"
	"strings"

	"chancery/drafts"
	"chancery/internal/wording"
)

// CompilationWord implements drafts.WordWriter: each provision, then the
// proposals on it, the proposed words underlined and the removed ones
// struck through (formatting, not revisions: a compilation is read, not
// accepted), with the delegations and their justifications.
func (w *Word) CompilationWord(out io.Writer, dc *drafts.Document, v *drafts.Version, c *drafts.Compilation) error {
	d := &doc{lab: wording.For(dc.Language)}
	d.header(dc, d.lab.Pick("Compilation of proposals on ", "Сборник предложений к ")+strings.ToLower(d.lab.VersionDate(v)[:1])+d.lab.VersionDate(v)[1:])
	opName := map[string]string{
		drafts.OpReplace: d.lab.Pick("amend", "изменить"),
		drafts.OpInsert:  d.lab.Pick("insert after", "вставить после"),
		drafts.OpDelete:  d.lab.Pick("delete", "исключить"),
		drafts.OpMove:    d.lab.Pick("move", "перенести"),
	}
	d.positions(d.lab.Pick("Positions on the text as a whole", "Позиции по тексту в целом"), c.WholeText)
	for _, e := range c.Entries {
		if e.Provision.ID != "" {
			d.para(para{style: provisionStyle(e.Provision), runs: d.notedRuns(provisionText(e.Provision), run{}), keepNext: len(e.Proposals) > 0 || len(e.Positions) > 0})
		} else if len(e.Proposals) > 0 {
			d.para(para{style: styleNote, runs: []run{{text: d.lab.Pick("At the start of the text", "В начале текста"), italic: true}}})
		}
		for _, p := range e.Proposals {
			who := strings.Join(p.Delegations, ", ")
			if len(p.Cosponsors) > 0 {
				who += d.lab.Pick(" (co-sponsored by ", " (соавторы: ") + strings.Join(p.Cosponsors, ", ") + ")"
			}
			d.para(para{style: "ChanceryProposal", keepNext: true, runs: []run{{text: who + ": ", bold: true}, {text: opName[p.Op], italic: true}}})
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
				d.para(para{style: "ChanceryProposal", runs: runs})
			}
			for _, j := range p.Justifications {
				if strings.TrimSpace(j) != "" {
					d.para(para{style: "ChanceryProposal", runs: []run{{text: j, italic: true}}})
				}
			}
		}
		d.positions("", e.Positions)
	}
	return d.write(out, dc, false)
}
