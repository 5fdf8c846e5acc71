package docx

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"

	"chancery/drafts"
)

// parseBody reads the paragraphs of the main document part and whether it
// holds tracked changes.
func parseBody(data []byte) ([]*xpara, bool, error) {
	b := &bodyParser{dec: xml.NewDecoder(bytes.NewReader(data)), moveNames: map[string]string{}}
	for {
		tok, err := b.dec.Token()
		if err == io.EOF {
			return b.paras, b.tracked, nil
		}
		if err != nil {
			return nil, false, notWellFormed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err = b.start(t)
		case xml.EndElement:
			err = b.end(t)
		}
		if err != nil {
			return nil, false, err
		}
	}
}

// bodyParser reads the body of document.xml, one token at a time, into
// paragraphs (xparas).
type bodyParser struct {
	dec     *xml.Decoder
	paras   []*xpara
	cur     *xpara // the paragraph being read, nil between paragraphs
	tracked bool   // the body holds tracked changes
	// pendBM and pendCm are the bookmarks and comments met between
	// paragraphs, which go to the next one.
	pendBM, pendCm []string
	// moveFrom and moveTo are the open move ranges' names; moveNames maps
	// move range ids to names.
	moveFrom, moveTo string
	moveNames        map[string]string
	// stack holds the open elements; inPPr, inPPrChange and inMarkRPr
	// count the open paragraph properties, their record of a change, and
	// the properties of the paragraph mark.
	stack                         []frame
	inPPr, inPPrChange, inMarkRPr int
	// note is the footnote or endnote being read ("foo:3", "end:2"), in
	// footnotes.xml and endnotes.xml.
	note string
}

// notWellFormed is the error of a body that is not well-formed XML.
func notWellFormed(err error) error {
	return invalid("the document is not well-formed XML: %s", xmlProblem(err))
}

// top returns the innermost open element, or the empty frame.
func (b *bodyParser) top() frame {
	if len(b.stack) == 0 {
		return frame{}
	}
	return b.stack[len(b.stack)-1]
}

// skip passes over the element just started and all it holds.
func (b *bodyParser) skip() error {
	if err := b.dec.Skip(); err != nil {
		return notWellFormed(err)
	}
	return nil
}

// start reads an element's start: it opens a paragraph, notes a property,
// a tracked change, a move range, a bookmark or a comment, reads text, or
// skips what holds no text of the paragraph.
func (b *bodyParser) start(t xml.StartElement) error {
	name := t.Name.Local
	f := b.top()
	f.name = name
	switch name {
	case "sectPr", "drawing", "pict", "object", "AlternateContent", "instrText", "delInstrText",
		"tblPr", "tblGrid", "trPr", "tcPr", "sdtPr", "footnoteRef", "endnoteRef",
		"sdtEndPr", "rPrChange", "tblPrEx", "fldData", "customXmlPr", "smartTagPr":
		return b.skip()
	case "footnoteReference", "endnoteReference":
		if b.cur != nil && b.inPPr == 0 {
			b.cur.addNote(name[:3]+":"+attr(t, "id"), f)
		}
		return b.skip()
	case "footnote", "endnote":
		// In footnotes.xml or endnotes.xml: the paragraphs that follow
		// are this note's.
		b.note = name[:3] + ":" + attr(t, "id")
	case "p":
		if b.cur != nil { // a paragraph inside a paragraph: not in WordprocessingML
			return b.skip()
		}
		b.cur = &xpara{bookmarks: b.pendBM, comments: b.pendCm}
		b.pendBM, b.pendCm = nil, nil
	case "pPr", "pPrChange", "rPr", "pStyle", "ilvl", "numId":
		if !b.property(name, t) {
			return b.skip()
		}
	case "ins", "del", "moveFrom", "moveTo":
		b.change(name, attr(t, "author"), &f)
	case "moveFromRangeStart", "moveToRangeStart", "moveFromRangeEnd", "moveToRangeEnd":
		b.moveRange(name, t)
	case "bookmarkStart", "commentReference", "commentRangeStart":
		b.anchor(name, t)
	case "t", "delText":
		return b.text(f) // the end element is read too
	case "tab", "ptab", "br", "cr", "noBreakHyphen":
		b.special(name, t, f)
	}
	b.stack = append(b.stack, f)
	return nil
}

// end reads an element's end: a paragraph's ends the paragraph.
func (b *bodyParser) end(t xml.EndElement) error {
	if len(b.stack) > 0 {
		b.stack = b.stack[:len(b.stack)-1]
	}
	switch t.Name.Local {
	case "p":
		if b.cur != nil {
			b.cur.note = b.note
			b.paras = append(b.paras, b.cur)
			if len(b.paras) > maxParagraphs {
				return invalid("the document has more than %d paragraphs", maxParagraphs)
			}
			b.cur = nil
		}
	case "footnote", "endnote":
		b.note = ""
	case "pPr":
		b.inPPr = max(b.inPPr-1, 0)
	case "pPrChange":
		b.inPPrChange = max(b.inPPrChange-1, 0)
	case "rPr":
		b.inMarkRPr = max(b.inMarkRPr-1, 0)
	}
	return nil
}

// property notes a paragraph property: its style and numbering, as they
// are or as they were before a tracked change (w:pPrChange). It returns
// false for run properties, which are skipped: only the paragraph mark's
// tell of a change.
func (b *bodyParser) property(name string, t xml.StartElement) bool {
	switch name {
	case "pPr":
		b.inPPr++
	case "pPrChange":
		if b.inPPr > 0 {
			b.inPPrChange++
			if b.cur != nil {
				b.cur.hasOld = true
			}
		}
	case "rPr":
		if b.inPPr == 0 || b.inPPrChange > 0 {
			return false
		}
		b.inMarkRPr++
	case "pStyle":
		if b.cur != nil && b.inPPr > 0 {
			if b.inPPrChange > 0 {
				b.cur.oldStyle = attr(t, "val")
			} else {
				b.cur.style = attr(t, "val")
			}
		}
	case "ilvl", "numId":
		if b.cur != nil && b.inPPr > 0 {
			ref := &b.cur.num
			if b.inPPrChange > 0 {
				ref = &b.cur.oldNum
			}
			ref.set = true
			if name == "numId" {
				ref.id = attr(t, "val")
			} else {
				ref.lvl = atoi(attr(t, "val"))
			}
		}
	}
	return true
}

// change notes a tracked change: of the paragraph mark, inside the mark's
// properties, or else of the runs inside it, whose state f then gives.
func (b *bodyParser) change(name, author string, f *frame) {
	if b.inMarkRPr > 0 {
		if b.cur != nil {
			b.tracked = true
			b.cur.markAuthor = author
			if name == "ins" || name == "moveTo" {
				b.cur.markIns = true
			} else {
				b.cur.markDel = true
			}
		}
		return
	}
	if b.inPPr > 0 {
		return
	}
	b.tracked = true
	switch name {
	case "ins":
		f.ins, f.insBy = true, author
	case "del":
		f.del, f.delBy = true, author
	case "moveFrom":
		f.del, f.delBy, f.move = true, author, "from:"+b.moveFrom
	case "moveTo":
		f.ins, f.insBy, f.move = true, author, "to:"+b.moveTo
	}
}

// moveRange opens or closes the range of a tracked move.
func (b *bodyParser) moveRange(name string, t xml.StartElement) {
	switch name {
	case "moveFromRangeStart":
		b.moveFrom = attr(t, "name")
		b.moveNames[attr(t, "id")] = b.moveFrom
	case "moveToRangeStart":
		b.moveTo = attr(t, "name")
		b.moveNames[attr(t, "id")] = b.moveTo
	case "moveFromRangeEnd":
		if b.moveNames[attr(t, "id")] == b.moveFrom {
			b.moveFrom = ""
		}
	case "moveToRangeEnd":
		if b.moveNames[attr(t, "id")] == b.moveTo {
			b.moveTo = ""
		}
	}
}

// anchor notes a bookmark of Chancery's (a provision's id) or a comment,
// on the current paragraph or, between paragraphs, for the next one.
func (b *bodyParser) anchor(name string, t xml.StartElement) {
	if name == "bookmarkStart" {
		if n := attr(t, "name"); strings.HasPrefix(n, drafts.WordBookmarkPrefix) {
			if b.cur != nil {
				b.cur.bookmarks = append(b.cur.bookmarks, n)
			} else {
				b.pendBM = append(b.pendBM, n)
			}
		}
		return
	}
	id := attr(t, "id")
	if b.cur != nil {
		b.cur.comments = appendNew(b.cur.comments, id)
	} else {
		b.pendCm = appendNew(b.pendCm, id)
	}
}

// text reads the text of a w:t or w:delText into the current paragraph,
// in the tracked-change state of f, up to the element's end.
func (b *bodyParser) text(f frame) error {
	if b.inPPr > 0 || b.cur == nil {
		return b.skip()
	}
	text, err := charData(b.dec)
	if err != nil {
		return err
	}
	b.cur.add(text, f)
	return nil
}

// special adds the text of an element that stands for a character: a
// tab, a line break (not a page or column break), a non-breaking hyphen.
func (b *bodyParser) special(name string, t xml.StartElement, f frame) {
	if b.cur == nil || b.inPPr > 0 {
		return
	}
	switch name {
	case "tab", "ptab":
		b.cur.add("\t", f)
	case "br", "cr":
		if typ := attr(t, "type"); typ == "" || typ == "textWrapping" {
			b.cur.add("\n", f)
		}
	case "noBreakHyphen":
		b.cur.add("\u2011", f)
	}
}

// frame is an open element of the body and the tracked-change state it
// gives: inserted (by insBy), deleted (by delBy), moved.
type frame struct {
	name         string
	ins, del     bool
	move         string
	insBy, delBy string
}

// maxParagraphs bounds the paragraphs of a document read.
const maxParagraphs = 100000

// add appends text in the tracked-change state of frame f.
func (p *xpara) add(text string, f frame) {
	if text == "" {
		return
	}
	if n := len(p.pieces); n > 0 {
		last := &p.pieces[n-1]
		if last.ins == f.ins && last.del == f.del && last.move == f.move && last.insBy == f.insBy && last.delBy == f.delBy && last.note == "" {
			last.text += text
			return
		}
	}
	p.pieces = append(p.pieces, piece{text: text, ins: f.ins, del: f.del, move: f.move, insBy: f.insBy, delBy: f.delBy})
}

// addNote appends the reference to a footnote or endnote ("foo:3",
// "end:2") in the tracked-change state of frame f.
func (p *xpara) addNote(id string, f frame) {
	p.pieces = append(p.pieces, piece{note: id, ins: f.ins, del: f.del, move: f.move, insBy: f.insBy, delBy: f.delBy})
}

// charData reads the text of an element up to its end.
func charData(dec *xml.Decoder) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return "", notWellFormed(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 1 {
				b.Write(t)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1000 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
