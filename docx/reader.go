package docx

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode"

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

// parseBody reads the paragraphs of the main document part and whether it
// holds tracked changes.
func parseBody(data []byte) ([]*xpara, bool, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		paras    []*xpara
		cur      *xpara
		tracked  bool
		pendBM   []string // bookmarks and comments met between paragraphs
		pendCm   []string
		moveFrom string // the open move ranges' names
		moveTo   string
		names    = map[string]string{} // move range id → name
	)
	var stack []frame
	top := func() frame {
		if len(stack) == 0 {
			return frame{}
		}
		return stack[len(stack)-1]
	}
	inPPr, inPPrChange, inMarkRPr := 0, 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, invalid("the document is not well-formed XML: %s", xmlProblem(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			f := top()
			f.name = name
			switch name {
			case "sectPr", "drawing", "pict", "object", "AlternateContent", "instrText", "delInstrText",
				"footnoteReference", "endnoteReference", "tblPr", "tblGrid", "trPr", "tcPr", "sdtPr",
				"sdtEndPr", "rPrChange", "tblPrEx", "fldData", "customXmlPr", "smartTagPr":
				if err := dec.Skip(); err != nil {
					return nil, false, invalid("the document is not well-formed XML: %s", xmlProblem(err))
				}
				continue
			case "p":
				if cur != nil { // a paragraph inside a paragraph: not in WordprocessingML
					if err := dec.Skip(); err != nil {
						return nil, false, invalid("the document is not well-formed XML: %s", xmlProblem(err))
					}
					continue
				}
				cur = &xpara{bookmarks: pendBM, comments: pendCm}
				pendBM, pendCm = nil, nil
			case "pPr":
				inPPr++
			case "pPrChange":
				if inPPr > 0 {
					inPPrChange++
					if cur != nil {
						cur.hasOld = true
					}
				}
			case "rPr":
				if inPPr > 0 && inPPrChange == 0 {
					inMarkRPr++
				} else {
					if err := dec.Skip(); err != nil {
						return nil, false, invalid("the document is not well-formed XML: %s", xmlProblem(err))
					}
					continue
				}
			case "pStyle":
				if cur != nil && inPPr > 0 {
					if inPPrChange > 0 {
						cur.oldStyle = attr(t, "val")
					} else {
						cur.style = attr(t, "val")
					}
				}
			case "ilvl", "numId":
				if cur != nil && inPPr > 0 {
					ref := &cur.num
					if inPPrChange > 0 {
						ref = &cur.oldNum
					}
					ref.set = true
					if name == "numId" {
						ref.id = attr(t, "val")
					} else {
						ref.lvl = atoi(attr(t, "val"))
					}
				}
			case "ins", "del", "moveFrom", "moveTo":
				if inMarkRPr > 0 {
					if cur != nil {
						tracked = true
						if name == "ins" || name == "moveTo" {
							cur.markIns = true
						} else {
							cur.markDel = true
						}
					}
				} else if inPPr == 0 {
					tracked = true
					switch name {
					case "ins":
						f.ins = true
					case "del":
						f.del = true
					case "moveFrom":
						f.del, f.move = true, "from:"+moveFrom
					case "moveTo":
						f.ins, f.move = true, "to:"+moveTo
					}
				}
			case "moveFromRangeStart":
				moveFrom = attr(t, "name")
				names[attr(t, "id")] = moveFrom
			case "moveToRangeStart":
				moveTo = attr(t, "name")
				names[attr(t, "id")] = moveTo
			case "moveFromRangeEnd":
				if names[attr(t, "id")] == moveFrom {
					moveFrom = ""
				}
			case "moveToRangeEnd":
				if names[attr(t, "id")] == moveTo {
					moveTo = ""
				}
			case "bookmarkStart":
				if n := attr(t, "name"); strings.HasPrefix(n, drafts.WordBookmarkPrefix) {
					if cur != nil {
						cur.bookmarks = append(cur.bookmarks, n)
					} else {
						pendBM = append(pendBM, n)
					}
				}
			case "commentReference", "commentRangeStart":
				id := attr(t, "id")
				if cur != nil {
					cur.comments = appendNew(cur.comments, id)
				} else {
					pendCm = appendNew(pendCm, id)
				}
			case "t", "delText":
				if inPPr > 0 || cur == nil {
					if err := dec.Skip(); err != nil {
						return nil, false, invalid("the document is not well-formed XML: %s", xmlProblem(err))
					}
					continue
				}
				text, err := charData(dec)
				if err != nil {
					return nil, false, err
				}
				cur.add(text, f)
				continue // charData consumed the end element
			case "tab", "ptab":
				if cur != nil && inPPr == 0 {
					cur.add("\t", f)
				}
			case "br", "cr":
				if cur != nil && inPPr == 0 {
					if typ := attr(t, "type"); typ == "" || typ == "textWrapping" {
						cur.add("\n", f)
					}
				}
			case "noBreakHyphen":
				if cur != nil && inPPr == 0 {
					cur.add("\u2011", f)
				}
			}
			stack = append(stack, f)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			switch t.Name.Local {
			case "p":
				if cur != nil {
					paras = append(paras, cur)
					if len(paras) > maxParagraphs {
						return nil, false, invalid("the document has more than %d paragraphs", maxParagraphs)
					}
					cur = nil
				}
			case "pPr":
				inPPr = max(inPPr-1, 0)
			case "pPrChange":
				inPPrChange = max(inPPrChange-1, 0)
			case "rPr":
				inMarkRPr = max(inMarkRPr-1, 0)
			}
		}
	}
	return paras, tracked, nil
}

// frame is an open element of the body and the tracked-change state it gives.
type frame struct {
	name     string
	ins, del bool
	move     string
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
		if last.ins == f.ins && last.del == f.del && last.move == f.move {
			last.text += text
			return
		}
	}
	p.pieces = append(p.pieces, piece{text: text, ins: f.ins, del: f.del, move: f.move})
}

// charData reads the text of an element up to its end.
func charData(dec *xml.Decoder) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return "", invalid("the document is not well-formed XML: %s", xmlProblem(err))
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

// group is one paragraph of a view: the pieces of one or more xparas that
// the view joins (a deleted paragraph mark joins a paragraph to the next).
type group struct {
	paras  []int // indexes of the xparas, the last one's mark ends it
	text   string
	markup string
	role   int
	skip   bool // not a provision: empty, title, Chancery's own lines
	origin int  // for an edited group: the original group it continues
}

type view struct {
	edited bool
	groups []*group
	title  string
	symbol string
}

// buildView joins the xparas into the paragraphs of the original (every
// change rejected) or edited (every change accepted) text, and gives each
// its markup.
func buildView(paras []*xpara, edited bool, st styles, nb *numbering) *view {
	v := &view{edited: edited}
	var g *group
	var b strings.Builder
	for i, p := range paras {
		if g == nil {
			g = &group{origin: -1}
			b.Reset()
		}
		g.paras = append(g.paras, i)
		for _, pc := range p.pieces {
			if (edited && !pc.del) || (!edited && !pc.ins) {
				b.WriteString(pc.text)
			}
		}
		// A mark inserted (rejected) or deleted (accepted) joins this
		// paragraph to the next.
		if (edited && p.markDel) || (!edited && p.markIns) {
			if i < len(paras)-1 {
				continue
			}
		}
		g.text = b.String()
		v.groups = append(v.groups, g)
		g = nil
	}
	count := newCounter(nb)
	for _, g := range v.groups {
		last := paras[g.paras[len(g.paras)-1]]
		styleID, num := last.style, last.num
		if !edited && last.hasOld {
			styleID, num = last.oldStyle, last.oldNum
		}
		role, lvl := st.role(styleID)
		g.role = role
		if !num.set {
			num = st.numbering(styleID)
		}
		text := cleanText(g.text)
		if role == roleTitle || role == roleSkip {
			if styleID == styleSymbol && v.symbol == "" && text != "" {
				v.symbol = strings.ReplaceAll(text, "\n", " ")
			}
			if role == roleTitle && v.title == "" && text != "" {
				v.title = strings.ReplaceAll(text, "\n", " ")
			}
			g.skip = true
			continue
		}
		label, format := count.next(num)
		if text == "" {
			g.skip = true
			continue
		}
		switch {
		case role == roleHeading:
			if label != "" {
				text = label + " " + text
			}
			if numberedHeading(text) && !strings.HasPrefix(styleID, styleMarkedHeading) {
				g.markup = text // "Rule 3. Consensus": the words say it is a heading
			} else {
				g.markup = strings.Repeat("#", lvl) + " " + text
			}
		case label != "":
			g.markup = withLabel(label, format, text)
		default:
			g.markup = normalizeMarker(text)
		}
		if g.markup == "" {
			g.skip = true
		}
	}
	return v
}

var (
	blankLines = regexp.MustCompile(`[ \t\r]*\n[ \t\r\n]*`)
	// A typed number, letter or roman item: "1.", "12.3.", "(a)", "(iv)".
	typedMarker = regexp.MustCompile(`^(\d{1,4}(?:\.\d{1,4})*\.|\([\p{L}\p{N}]{1,5}\))[ \t\x{a0}]+`)
)

// cleanText trims a paragraph's text and folds its line breaks so that it
// stays one provision: no blank line inside, no control characters.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
	s = blankLines.ReplaceAllString(s, "\n")
	return strings.Trim(s, " \t\r\n")
}

// numberedHeading reports whether text reads as a heading numbered in
// words ("Rule 3. Consensus", "Chapter III", "Статья 5").
func numberedHeading(text string) bool {
	p, ok := one(text)
	return ok && p.Kind == drafts.KindHeading && drafts.IsNumberedHeading(p.Number)
}

// one parses s as the markup of one provision.
func one(s string) (drafts.Provision, bool) {
	ps, err := drafts.ParseProvisions(s, drafts.Limits{})
	if err != nil || len(ps) != 1 {
		return drafts.Provision{}, false
	}
	return ps[0], true
}

// normalizeMarker makes a typed number followed by a tab or several
// spaces ("1.\tThe", "3.1\tThe", "Rule 3.\tConsensus") the markup's
// number and one space.
func normalizeMarker(s string) string {
	i := strings.IndexAny(s, "\t ")
	if i <= 0 || i > 40 {
		return s
	}
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\u00a0') {
		j++
	}
	if j == i+1 && s[i] == ' ' || j >= len(s) {
		return s
	}
	candidate := s[:i] + " " + s[j:]
	if p, ok := one(candidate); ok && p.Number == s[:i] {
		return candidate
	}
	return s
}

// withLabel writes a paragraph numbered by Word: its label as the markup's
// number when Chancery reads it as one ("1.", "3.1", "(a)", "Article 5."),
// else the nearest marker ("a)" → "(a)", "1)" → "1.").
func withLabel(label, format, text string) string {
	if p, ok := one(label + " " + text); ok && p.Number == label {
		return label + " " + text
	}
	return marker(label, format) + " " + text
}

var labelMarker = regexp.MustCompile(`^\(?([\p{L}\p{N}]{1,5})[.)]?$`)

// marker turns a numbering label into the markup's marker: "1." and "3.1."
// stay, "(a)" stays, "a)" or "a." becomes "(a)", "1)" becomes "1.".
func marker(label, format string) string {
	if typedMarker.MatchString(label + " ") {
		return label
	}
	m := labelMarker.FindStringSubmatch(label)
	if m == nil {
		if strings.HasSuffix(label, ".") || strings.Trim(label, "0123456789.") == "" {
			if typedMarker.MatchString(strings.TrimSuffix(label, ".") + ". ") {
				return strings.TrimSuffix(label, ".") + "."
			}
		}
		return "(" + strings.Trim(label, "().") + ")"
	}
	core := m[1]
	if format == "decimal" || format == "decimalZero" || strings.Trim(core, "0123456789") == "" {
		return core + "."
	}
	return "(" + core + ")"
}

// link finds, for each paragraph of the edited view, the paragraph of the
// original view it continues: the one it shares the most unchanged text
// with (text moved by a tracked move counts as unchanged), then the one
// whose paragraph mark it kept. Each original paragraph is continued at
// most once.
func link(paras []*xpara, orig, edit *view) {
	origOf := make([]int, len(paras)) // xpara → original group
	for gi, g := range orig.groups {
		for _, i := range g.paras {
			origOf[i] = gi
		}
	}
	editOf := make([]int, len(paras))
	for gi, g := range edit.groups {
		for _, i := range g.paras {
			editOf[i] = gi
		}
	}
	// Where each move's text came from.
	fromWeight := map[string]map[int]int{}
	for i, p := range paras {
		for _, pc := range p.pieces {
			if strings.HasPrefix(pc.move, "from:") && !pc.ins {
				name := strings.TrimPrefix(pc.move, "from:")
				if fromWeight[name] == nil {
					fromWeight[name] = map[int]int{}
				}
				fromWeight[name][origOf[i]] += len(pc.text)
			}
		}
	}
	moveSource := map[string]int{}
	for name, m := range fromWeight {
		best, bw := -1, 0
		for g, w := range m {
			if w > bw || (w == bw && g < best) {
				best, bw = g, w
			}
		}
		moveSource[name] = best
	}
	type pair struct{ e, o, w int }
	weights := map[[2]int]int{}
	for i, p := range paras {
		for _, pc := range p.pieces {
			switch {
			case !pc.ins && !pc.del:
				weights[[2]int{editOf[i], origOf[i]}] += 2 * len(strings.TrimSpace(pc.text))
			case strings.HasPrefix(pc.move, "to:") && !pc.del:
				if src, ok := moveSource[strings.TrimPrefix(pc.move, "to:")]; ok && src >= 0 {
					weights[[2]int{editOf[i], src}] += 2 * len(strings.TrimSpace(pc.text))
				}
			}
		}
		if !p.markIns && !p.markDel {
			weights[[2]int{editOf[i], origOf[i]}]++
		}
	}
	var pairs []pair
	for k, w := range weights {
		if w > 0 {
			pairs = append(pairs, pair{k[0], k[1], w})
		}
	}
	sort.Slice(pairs, func(a, b int) bool {
		if pairs[a].w != pairs[b].w {
			return pairs[a].w > pairs[b].w
		}
		if pairs[a].e != pairs[b].e {
			return pairs[a].e < pairs[b].e
		}
		return pairs[a].o < pairs[b].o
	})
	used := map[int]bool{}
	for _, p := range pairs {
		e, o := edit.groups[p.e], orig.groups[p.o]
		if e.origin >= 0 || used[p.o] || e.skip || o.skip {
			continue
		}
		e.origin = p.o
		used[p.o] = true
	}
	for i, g := range orig.groups {
		g.origin = i
	}
}

// finish returns the provisions of both views: original paragraphs with
// the ids of their bookmarks, edited ones with the index of the original
// paragraph they continue and their comments.
func finish(paras []*xpara, orig, edit *view, comments map[string]string) (o, e []drafts.WordParagraph) {
	index := map[int]int{} // original group → index among provisions
	for gi, g := range orig.groups {
		if g.skip {
			continue
		}
		p := drafts.WordParagraph{Markup: g.markup, Origin: len(o)}
		index[gi] = len(o)
		// The bookmark of the paragraph whose mark ends the group: those
		// before it were inserted and carry their own.
		if bms := paras[g.paras[len(g.paras)-1]].bookmarks; len(bms) > 0 {
			id := strings.TrimPrefix(bms[0], drafts.WordBookmarkPrefix)
			p.ID = strings.ReplaceAll(id, "_", "-")
		}
		o = append(o, p)
	}
	e = []drafts.WordParagraph{}
	for _, g := range edit.groups {
		if g.skip {
			continue
		}
		p := drafts.WordParagraph{Markup: g.markup, Origin: -1}
		if k, ok := index[g.origin]; ok && g.origin >= 0 {
			p.Origin = k
		}
		for _, i := range g.paras {
			for _, id := range paras[i].comments {
				if c := strings.TrimSpace(comments[id]); c != "" {
					p.Comments = append(p.Comments, c)
				}
			}
		}
		e = append(e, p)
	}
	return o, e
}

// parseComments reads comments.xml: comment id → its text.
func parseComments(data []byte) map[string]string {
	out := map[string]string{}
	if data == nil {
		return out
	}
	var doc struct {
		Comments []struct {
			ID     string `xml:"id,attr"`
			Author string `xml:"author,attr"`
			Paras  []struct {
				Texts []string `xml:"r>t"`
			} `xml:"p"`
		} `xml:"comment"`
	}
	if xml.Unmarshal(data, &doc) != nil {
		return out
	}
	for _, c := range doc.Comments {
		var parts []string
		for _, p := range c.Paras {
			if s := strings.TrimSpace(strings.Join(p.Texts, "")); s != "" {
				parts = append(parts, s)
			}
		}
		out[c.ID] = strings.Join(parts, " ")
	}
	return out
}

// coreTitle reads the title property of docProps/core.xml.
func coreTitle(data []byte) string {
	if data == nil {
		return ""
	}
	var doc struct {
		Title string `xml:"title"`
	}
	if xml.Unmarshal(data, &doc) != nil {
		return ""
	}
	return strings.TrimSpace(doc.Title)
}
