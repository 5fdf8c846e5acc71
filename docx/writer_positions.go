package docx

import (
	"strings"

	"chancery/drafts"
)

// positions writes the positions of delegations under a provision of a
// compilation, one paragraph each ("Kazakhstan: reservation — its
// words"), after a heading when there is one.
func (d *doc) positions(heading string, ps []*drafts.Position) {
	if len(ps) == 0 {
		return
	}
	if heading != "" {
		d.para(para{style: styleNote, keepNext: true, runs: []run{{text: heading, bold: true}}})
	}
	for i, p := range ps {
		line := d.lab.PositionLine(p)
		name, rest, _ := strings.Cut(line, ": ")
		d.para(para{style: "ChanceryProposal", keepNext: i < len(ps)-1, runs: []run{{text: name + ": ", bold: true}, {text: rest, italic: true}}})
	}
}
