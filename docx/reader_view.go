package docx

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"chancery/drafts"
)

// group is one paragraph of a view: the pieces of one or more xparas that
// the view joins (a deleted paragraph mark joins a paragraph to the next).
type group struct {
	paras  []int // indexes of the xparas, the last one's mark ends it
	text   string
	markup string
	role   int
	skip   bool // not a provision: empty, title, Chancery's own lines
	origin int  // for an edited group: the original group it continues
	// notes are the lines of the notes its text refers to
	// ("\n[^1]: text"), added to its markup.
	notes string
}

// accepts tells which tracked changes a view accepts, by their author.
type accepts func(author string) bool

func acceptNone(string) bool { return false }
func acceptAll(string) bool  { return true }

// present reports whether a piece is in a view that accepts acc.
func (pc *piece) present(acc accepts) bool {
	return (!pc.ins || acc(pc.insBy)) && (!pc.del || !acc(pc.delBy))
}

// joined reports whether a view that accepts acc joins the paragraph to
// the next: its mark inserted and rejected, or deleted and accepted.
func (p *xpara) joined(acc accepts) bool {
	return p.markIns && !acc(p.markAuthor) || p.markDel && acc(p.markAuthor)
}

type view struct {
	edited bool // not the original: paragraph properties as changed
	accept accepts
	groups []*group
	title  string
	symbol string
}

// buildView joins the xparas into the paragraphs of a view of the text
// with the tracked changes acc accepts (none: the original text; all: the
// edited one) and gives each its markup, with the notes it refers to.
func buildView(paras []*xpara, acc accepts, edited bool, st styles, nb *numbering, notes noteParas) *view {
	v := &view{edited: edited, accept: acc, groups: joinParagraphs(paras, acc, notes)}
	count := newCounter(nb)
	for _, g := range v.groups {
		v.markGroup(g, paras[g.paras[len(g.paras)-1]], st, count)
		if !g.skip && g.markup != "" {
			g.markup += g.notes
		}
	}
	return v
}

// joinParagraphs groups the xparas into the paragraphs of a view, each
// with its text: a paragraph mark inserted (rejected) or deleted
// (accepted) joins a paragraph to the next. A reference to a note that
// has words in the view is a marker "[^1]" (numbered in each paragraph),
// the note's text a line of the group's notes.
func joinParagraphs(paras []*xpara, acc accepts, notes noteParas) []*group {
	var groups []*group
	var g *group
	var b, nl strings.Builder
	for i, p := range paras {
		if g == nil {
			g = &group{origin: -1}
			b.Reset()
			nl.Reset()
		}
		g.paras = append(g.paras, i)
		for _, pc := range p.pieces {
			switch {
			case !pc.present(acc):
			case pc.note != "":
				if text := notes.text(pc.note, acc); text != "" {
					label := strconv.Itoa(strings.Count(nl.String(), "\n[^") + 1)
					b.WriteString("[^" + label + "]")
					nl.WriteString("\n[^" + label + "]: " + text)
				}
			default:
				b.WriteString(pc.text)
			}
		}
		if p.joined(acc) && i < len(paras)-1 {
			continue
		}
		g.text, g.notes = b.String(), nl.String()
		groups = append(groups, g)
		g = nil
	}
	return groups
}

// markGroup gives a paragraph of the view its role and markup from the
// style and numbering of last, the xpara whose mark ends it (as they were
// before a change, in the original view), counting its number with count.
// The document's symbol and title lines, and empty paragraphs, are not
// provisions: they are skipped.
func (v *view) markGroup(g *group, last *xpara, st styles, count *counter) {
	styleID, num := last.style, last.num
	if !v.edited && last.hasOld {
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
		return
	}
	label, format := count.next(num)
	if drafts.IsBlank(text) {
		g.skip = true // white space only, of any kind: no provision
		return
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

var (
	blankLines = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[ \t\r]*\n[ \t\r\n]*`) })
	// blankLine is a line of white space of any kind (see drafts.IsBlank).
	blankLine = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\n[\pZ\s\x{200b}-\x{200d}\x{2060}\x{feff}\x{180e}]*\n`)
	})
	// A typed number, letter or roman item: "1.", "12.3.", "(a)", "(iv)".
	typedMarker = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\d{1,4}(?:\.\d{1,4})*\.|\([\p{L}\p{N}]{1,5}\))[ \t\x{a0}]+`)
	})
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
	for blankLine().MatchString(s) {
		s = blankLine().ReplaceAllString(s, "\n")
	}
	s = blankLines().ReplaceAllString(s, "\n")
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

var labelMarker = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\(?([\p{L}\p{N}]{1,5})[.)]?$`) })

// marker turns a numbering label into the markup's marker: "1." and "3.1."
// stay, "(a)" stays, "a)" or "a." becomes "(a)", "1)" becomes "1.".
func marker(label, format string) string {
	if typedMarker().MatchString(label + " ") {
		return label
	}
	m := labelMarker().FindStringSubmatch(label)
	if m == nil {
		if strings.HasSuffix(label, ".") || strings.Trim(label, "0123456789.") == "" {
			if typedMarker().MatchString(strings.TrimSuffix(label, ".") + ". ") {
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
