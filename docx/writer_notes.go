package docx

import (
	"encoding/xml"
	"fmt"
	"strings"

	"chancery/drafts"
)

// Footnotes. A provision's notes (see drafts.SplitNotes) are written as
// Word footnotes: a reference in the paragraph where the marker stands,
// the note's text in word/footnotes.xml, Word numbering them. In a text
// of tracked changes, a note's changed words are revisions inside the
// footnote and a new or removed note's reference an inserted or deleted
// one, so that Accept All and Reject All give each version's notes.

// footnote writes a footnote of runs and returns its id.
func (d *doc) footnote(runs []run) int {
	d.noteID++
	id := d.noteID
	saved := d.into
	d.into = &d.notes
	fmt.Fprintf(&d.notes, `<w:footnote w:id="%d"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>`, id)
	d.notes.WriteString(`<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>`)
	for _, r := range runs {
		d.run(r)
	}
	d.notes.WriteString(`</w:p></w:footnote>`)
	d.into = saved
	return id
}

// notedRuns returns the runs of a text in the revision and formatting of
// r: its body, and for each of its notes a footnote (its text in r's
// revision and formatting) and the reference to it where it stands.
func (d *doc) notedRuns(text string, r run) []run {
	if !drafts.HasNotes(text) {
		r.text = text
		return []run{r}
	}
	nt := drafts.SplitNotes(text)
	var out []run
	at := 0
	for _, n := range nt.Notes {
		if n.At > at {
			out = append(out, withText(r, nt.Body[at:n.At]))
			at = n.At
		}
		ref := withText(r, "")
		ref.note = d.footnote([]run{withText(r, n.Text)})
		out = append(out, ref)
	}
	if at < len(nt.Body) {
		out = append(out, withText(r, nt.Body[at:]))
	}
	return out
}

// withText is r with another text.
func withText(r run, text string) run {
	r.text = text
	return r
}

// segmentRuns returns the runs of a word diff of a provision's text, mk
// making each segment's run: the body's segments in the paragraph, its
// notes' markers as references to footnotes that hold each note's own
// segments; a note only the old or the new text has is referred to
// by a deleted or an inserted reference.
func (d *doc) segmentRuns(segs []drafts.Segment, mk func(drafts.Segment) run) []run {
	body, notes := drafts.SplitNoteSegments(segs)
	var out []run
	for _, s := range body {
		out = append(out, mk(s))
	}
	if len(notes) == 0 {
		return out
	}
	nb := drafts.BindNotes(notes)
	ref := func(nd drafts.NoteDiff, r run) run {
		var runs []run
		for _, s := range nd.Segments {
			runs = append(runs, mk(s))
		}
		r.text, r.note = "", d.footnote(runs)
		return r
	}
	var runs []run
	for _, r := range out {
		drafts.CutAtMarkers(r.text, nb.Free,
			func(text string) { runs = append(runs, withText(r, text)) },
			func(label string) { nd, _ := nb.Take(label); runs = append(runs, ref(nd, r)) })
	}
	for _, nd := range nb.Rest() { // notes without a marker: at the end
		var attr drafts.Segment
		if len(nd.Segments) > 0 {
			attr = nd.Segments[0]
		}
		runs = append(runs, ref(nd, mk(drafts.Segment{Op: nd.Op(), Delegation: attr.Delegation, Proposal: attr.Proposal})))
	}
	return runs
}

// footnoteRun writes the reference run of footnote id.
func footnoteRun(b *strings.Builder, id int) {
	fmt.Fprintf(b, `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="%d"/></w:r>`, id)
}

// footnotesXML is word/footnotes.xml: Word's separators, then the notes.
func (d *doc) footnotesXML() string {
	return xml.Header + `<w:footnotes xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` +
		`<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>` +
		`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>` +
		d.notes.String() + `</w:footnotes>`
}

// noteStyles are the styles of footnotes' text and references.
const noteStyles = `<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`
