package docx

import (
	"strings"

	"chancery/drafts"
)

// piece is a run of text of a paragraph, or the reference to a note,
// with its tracked-change state: ins (rejected away) by insBy and del
// (accepted away) by delBy; move names a tracked move.
type piece struct {
	text         string
	note         string // the note referred to, "foo:<id>" or "end:<id>"
	ins, del     bool
	move         string
	insBy, delBy string
}

// xpara is one w:p of the body as written in the file.
type xpara struct {
	style, oldStyle string
	num, oldNum     numRef
	hasOld          bool // a w:pPrChange holds the properties before a change
	markIns         bool // the paragraph mark is a tracked insertion
	markDel         bool // ... or deletion
	markAuthor      string
	note            string // in footnotes.xml or endnotes.xml: the note it is of
	pieces          []piece
	bookmarks       []string
	comments        []string
}

// ReadWord implements drafts.WordReader.
func (w *Word) ReadWord(data []byte) (*drafts.WordFile, error) {
	p, err := w.openPackage(data)
	if err != nil {
		return nil, err
	}
	rels, err := p.partRels(p.main)
	if err != nil {
		return nil, err
	}
	var st styles
	var nb *numbering
	comments := map[string]string{}
	notes := noteParas{}
	tracked := false
	for _, r := range rels {
		kind := r.Type[strings.LastIndex(r.Type, "/")+1:]
		switch kind {
		case "styles":
			st = parseStyles(p.parts[r.Target])
		case "numbering":
			nb = parseNumbering(p.parts[r.Target])
		case "comments":
			comments = parseComments(p.parts[r.Target])
		case "footnotes", "endnotes":
			t, err := parseNotes(p.parts[r.Target], notes)
			if err != nil {
				return nil, err
			}
			tracked = tracked || t
		}
	}
	if st == nil {
		st = styles{}
	}
	if nb == nil {
		nb = parseNumbering(nil)
	}
	paras, t, err := parseBody(p.parts[p.main])
	if err != nil {
		return nil, err
	}
	f := &drafts.WordFile{Tracked: tracked || t, Title: coreTitle(p.parts["docProps/core.xml"]), Template: p.template}
	orig := buildView(paras, acceptNone, false, st, nb, notes)
	edit := buildView(paras, acceptAll, true, st, nb, notes)
	if edit.title != "" {
		f.Title = edit.title
	}
	f.Symbol = edit.symbol
	link(paras, orig, edit)
	f.Original, f.Edited = finish(paras, orig, edit, comments)
	if len(f.Edited) == 0 {
		return nil, invalid("the document has no text")
	}
	lim := w.limits
	if _, err := drafts.ParseText(f.Text(), lim); err != nil {
		return nil, err
	}
	if f.Tracked {
		if err := w.authorViews(f, paras, orig, st, nb, notes); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// maxAuthors bounds the authors of tracked changes a file may have.
const maxAuthors = 100

// authorViews gives f, for each author of its tracked changes, the text
// with that author's changes accepted and every other one rejected.
func (w *Word) authorViews(f *drafts.WordFile, paras []*xpara, orig *view, st styles, nb *numbering, notes noteParas) error {
	f.Authors = changeAuthors(paras, notes)
	if len(f.Authors) > maxAuthors {
		return invalid("the tracked changes are by %d authors; the limit is %d", len(f.Authors), maxAuthors)
	}
	f.ByAuthor = map[string][]drafts.WordParagraph{}
	for _, a := range f.Authors {
		v := buildView(paras, func(by string) bool { return by == a }, true, st, nb, notes)
		link(paras, orig, v)
		_, f.ByAuthor[a] = finish(paras, orig, v, nil)
		if _, err := drafts.ParseText(joinWord(f.ByAuthor[a]), w.limits); err != nil {
			return err
		}
	}
	return nil
}

// changeAuthors returns the authors of the tracked changes of the body
// and the notes, in order of first appearance.
func changeAuthors(paras []*xpara, notes noteParas) []string {
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	visit := func(p *xpara) {
		for _, pc := range p.pieces {
			if pc.ins {
				add(pc.insBy)
			}
			if pc.del {
				add(pc.delBy)
			}
		}
		if p.markIns || p.markDel {
			add(p.markAuthor)
		}
	}
	for _, p := range paras {
		visit(p)
		for _, pc := range p.pieces {
			for _, np := range notes[pc.note] {
				visit(np)
			}
		}
	}
	return out
}

// joinWord is the markup of paragraphs, as drafts.WordFile.Text joins them.
func joinWord(ps []drafts.WordParagraph) string {
	f := drafts.WordFile{Edited: ps}
	return f.Text()
}
