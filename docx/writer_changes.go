package docx

import (
	"fmt"
	"io"
	"strings"

	"chancery/drafts"
	"chancery/internal/wording"
)

// ChangesWord implements drafts.WordWriter: insertions and deletions are
// Word revisions by the delegations that proposed them (the chair where
// no proposal is known), moved provisions are Word moves, so that Accept
// All gives the new version and Reject All the old one.
func (w *Word) ChangesWord(out io.Writer, dc *drafts.Document, from, to *drafts.Version, diff *drafts.Diff) error {
	d := &doc{lab: wording.For(dc.Language)}
	d.header(dc, d.lab.Pick("Changes from ", "Изменения: ")+d.lab.VersionDate(from)+d.lab.Pick(" to ", " → ")+d.lab.VersionDate(to))
	cw := newChangesWriter(d, from, d.lab.Pick("Chair", "Председатель"))
	entries, moved := cw.entries(diff.Changes)
	for k, c := range moved {
		entries = cw.placeMovedAway(entries, c, k+1)
	}
	for _, e := range entries {
		d.para(e.p)
	}
	return d.write(out, dc, false)
}

// changeEntry is a paragraph of a changes text, with the provision id it
// stands for, which places moved-away paragraphs after it.
type changeEntry struct {
	p  para
	id string
}

// changesWriter lays out the paragraphs of a changes text from the old
// version's provisions and the diff's changes.
type changesWriter struct {
	d       *doc
	chair   string                      // the author of changes no delegation proposed
	oldProv map[string]drafts.Provision // the old text's provisions by id
	oldPrev map[string]string           // provision → the one before it in the old text
}

func newChangesWriter(d *doc, from *drafts.Version, chair string) *changesWriter {
	cw := &changesWriter{d: d, chair: chair, oldProv: map[string]drafts.Provision{}, oldPrev: map[string]string{}}
	prev := ""
	for _, p := range from.Provisions {
		cw.oldPrev[p.ID] = prev
		prev = p.ID
		cw.oldProv[p.ID] = p
	}
	return cw
}

// author is who a change's revisions are by.
func (cw *changesWriter) author(c drafts.Change) string {
	if len(c.Delegations) == 0 {
		return cw.chair
	}
	return strings.Join(c.Delegations, ", ")
}

// entries returns a paragraph for each change, in the new text's order
// with deleted provisions where they stood, and the changes that moved a
// provision, whose k-th (from 1) is the move named "move<k>".
func (cw *changesWriter) entries(changes []drafts.Change) (entries []changeEntry, moved []drafts.Change) {
	for _, c := range changes {
		a := cw.author(c)
		np := drafts.Provision{Kind: c.ProvisionKind, Number: c.Number, Text: c.Text}
		op := cw.oldProv[c.Provision]
		var p para
		switch c.Kind {
		case drafts.ChangeInserted:
			p = cw.wholeProvision(np, revIns, a)
		case drafts.ChangeDeleted:
			p = cw.wholeProvision(op, revDel, a)
		default:
			p = para{style: provisionStyle(np), keepNext: np.Kind == drafts.KindHeading, indent: provisionIndent(np)}
			if c.Moved {
				moved = append(moved, c)
				p.move, p.mark, p.author = fmt.Sprintf("move%d", len(moved)), revMoveTo, a
			}
			p.runs = cw.changedRuns(op, np, c, a, c.Moved)
		}
		p.id = c.Provision
		entries = append(entries, changeEntry{p, c.Provision})
	}
	return entries, moved
}

// wholeProvision is the paragraph of a provision inserted, deleted or
// moved away as a whole: its mark and its text are one revision.
func (cw *changesWriter) wholeProvision(p drafts.Provision, rev int, author string) para {
	return para{style: provisionStyle(p), indent: provisionIndent(p), mark: rev, author: author,
		runs: cw.d.notedRuns(provisionText(p), run{rev: rev, author: author})}
}

// placeMovedAway adds where the provision moved by c was, as the move
// away of the move numbered k, after what preceded it in the old text.
func (cw *changesWriter) placeMovedAway(entries []changeEntry, c drafts.Change, k int) []changeEntry {
	away := cw.wholeProvision(cw.oldProv[c.Provision], revMoveFrom, cw.author(c))
	away.move = fmt.Sprintf("move%d", k)
	at := 0
	if before := cw.oldPrev[c.Provision]; before != "" {
		for i := len(entries) - 1; i >= 0; i-- {
			if entries[i].id == before {
				at = i + 1
				break
			}
		}
	}
	// What followed the provision in the old text now follows its old
	// place: later moves anchor on the moved-away paragraph.
	entries = append(entries[:at], append([]changeEntry{{away, c.Provision + "#old"}}, entries[at:]...)...)
	for id, b := range cw.oldPrev {
		if b == c.Provision {
			cw.oldPrev[id] = c.Provision + "#old"
		}
	}
	return entries
}

// changedRuns writes a kept provision: its words as the diff's segments,
// inserted and deleted ones as revisions, a changed number as a deleted
// and an inserted one. A moved provision's unchanged words are part of the
// move.
func (cw *changesWriter) changedRuns(old, np drafts.Provision, c drafts.Change, author string, moved bool) []run {
	base := revNone
	if moved {
		base = revMoveTo
	}
	var runs []run
	if np.Kind != drafts.KindHeading || old.Kind != drafts.KindHeading {
		oldMark, newMark := "", ""
		if old.Kind != drafts.KindHeading && old.Number != "" {
			oldMark = old.Number + " "
		}
		if np.Kind != drafts.KindHeading && np.Number != "" {
			newMark = np.Number + " "
		}
		switch {
		case oldMark == newMark:
			runs = append(runs, run{text: newMark, rev: base, author: author})
		case moved: // the old number is in the moved-away copy
			runs = append(runs, run{text: newMark, rev: revIns, author: author})
		default:
			runs = append(runs, run{text: oldMark, rev: revDel, author: author}, run{text: newMark, rev: revIns, author: author})
		}
	}
	if !c.Modified || len(c.Segments) == 0 {
		return append(runs, cw.d.notedRuns(np.Text, run{rev: base, author: author})...)
	}
	segs := c.Segments
	if moved { // the deleted words are in the moved-away copy
		segs = nil
		for _, s := range c.Segments {
			if s.Op != drafts.SegDelete {
				segs = append(segs, s)
			}
		}
	}
	return append(runs, cw.d.segmentRuns(segs, func(s drafts.Segment) run {
		r := run{text: s.Text, rev: base, author: author}
		seg := author
		if s.Delegation != "" {
			seg = s.Delegation
		}
		switch s.Op {
		case drafts.SegInsert:
			r.rev, r.author = revIns, seg
		case drafts.SegDelete:
			r.rev, r.author = revDel, seg
		}
		return r
	})...)
}
