package docx

import (
	"strings"

	"chancery/drafts"
)

// piece is a run of text of a paragraph, with its tracked-change state:
// ins (rejected away) and del (accepted away); move names a tracked move.
type piece struct {
	text     string
	ins, del bool
	move     string
}

// xpara is one w:p of the body as written in the file.
type xpara struct {
	style, oldStyle string
	num, oldNum     numRef
	hasOld          bool // a w:pPrChange holds the properties before a change
	markIns         bool // the paragraph mark is a tracked insertion
	markDel         bool // ... or deletion
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
	for _, r := range rels {
		kind := r.Type[strings.LastIndex(r.Type, "/")+1:]
		switch kind {
		case "styles":
			st = parseStyles(p.parts[r.Target])
		case "numbering":
			nb = parseNumbering(p.parts[r.Target])
		case "comments":
			comments = parseComments(p.parts[r.Target])
		}
	}
	if st == nil {
		st = styles{}
	}
	if nb == nil {
		nb = parseNumbering(nil)
	}
	paras, tracked, err := parseBody(p.parts[p.main])
	if err != nil {
		return nil, err
	}
	f := &drafts.WordFile{Tracked: tracked, Title: coreTitle(p.parts["docProps/core.xml"])}
	orig := buildView(paras, false, st, nb)
	edit := buildView(paras, true, st, nb)
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
	return f, nil
}
