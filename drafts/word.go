package drafts

import (
	"fmt"
	"io"
	"strings"
)

// WordMediaType is the media type of a Word document (.docx).
const WordMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// WordBookmarkPrefix starts the name of the bookmark that carries a
// provision's id in a Word file ("chy_" + id): Word and LibreOffice keep
// bookmarks through editing, saving and tracked changes, so an exported
// text comes back knowing which paragraph is which provision.
const WordBookmarkPrefix = "chy_"

// WordFile is a Word document as a reader found it: its paragraphs as
// provisions' markup, twice — once with every tracked change rejected
// (Original) and once with every change accepted (Edited). A file without
// tracked changes has the same paragraphs in both.
type WordFile struct {
	Original []WordParagraph
	Edited   []WordParagraph
	// Tracked is true when the file holds tracked changes (insertions,
	// deletions or moves of text).
	Tracked bool
	// Title is the text of the paragraph in Word's Title style, or the
	// document's title property, "" if it has none.
	Title string
	// Symbol is the text of the symbol line Chancery writes at the top of
	// an exported text, "" if the file has none.
	Symbol string
	// Template is the file name of the template the document was made
	// from ("Normal.dotm", "CICA Letter.dotx"), as Word records it, ""
	// if none. It is recorded, never fetched.
	Template string
	// Authors are the authors of the file's tracked changes, in order of
	// first appearance.
	Authors []string
	// ByAuthor holds, for each author, the file's paragraphs with that
	// author's tracked changes accepted and every other one rejected,
	// linked to Original as Edited is.
	ByAuthor map[string][]WordParagraph
}

// WordParagraph is one paragraph of a Word file, as the markup of one
// provision ("12. The Member States ...", "# Cluster I", "(a) ...").
type WordParagraph struct {
	Markup string
	// ID is the provision id the paragraph carries in a bookmark, "" if none.
	ID string
	// Origin, for an edited paragraph, is the index in Original of the
	// paragraph it continues (-1 for a new paragraph); for an original
	// paragraph it is its own index.
	Origin int
	// Comments are the texts of the Word comments anchored in the paragraph.
	Comments []string
}

// Text returns the markup of the text with every tracked change accepted.
func (f *WordFile) Text() string { return joinParagraphs(f.Edited) }

// OriginalText returns the markup of the text with every tracked change rejected.
func (f *WordFile) OriginalText() string { return joinParagraphs(f.Original) }

func joinParagraphs(ps []WordParagraph) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p.Markup)
	}
	if len(ps) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// CommentNotes returns the Word comments of the edited text, one line per
// comment, each saying which paragraph it is on ("Paragraph 6: ..."), or "".
func (f *WordFile) CommentNotes() string {
	var lines []string
	for i, p := range f.Edited {
		for _, c := range p.Comments {
			where := fmt.Sprintf("Paragraph %d", i+1)
			if q := classify(firstLine(p.Markup)); q.Number != "" && q.Kind != KindHeading {
				where = "Paragraph " + strings.TrimSuffix(q.Number, ".")
			}
			lines = append(lines, where+": "+c)
		}
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Operations derives the proposal that a Word file edited with Track
// Changes makes to its base version: the file's original text (every
// change rejected) must be the base, paragraph for paragraph, and the
// operations turn it into the edited text (every change accepted), each
// edited paragraph keeping the provision id of the original paragraph it
// continues. Consecutive new paragraphs make one insert. EINVALID, naming
// the paragraph, when the original text is not the base (an edit made with
// Track Changes off, or a file exported from another version).
func (f *WordFile) Operations(base []Provision, lim Limits) ([]Operation, error) {
	if len(f.Original) != len(base) {
		return nil, wordError(fmt.Sprintf("with its tracked changes rejected, the Word file has %d paragraphs where the base version has %d provisions: was it exported from this version, and were all edits made with Track Changes on?", len(f.Original), len(base)))
	}
	ids := make([]string, len(base))
	for i, o := range f.Original {
		if o.ID != "" && o.ID != base[i].ID {
			return nil, wordError(fmt.Sprintf("paragraph %d of the Word file is provision %q, which is not at that place in the base version: was the file exported from another version?", i+1, o.ID))
		}
		if strings.TrimSpace(o.Markup) != strings.TrimSpace(base[i].Markup()) {
			return nil, wordError(fmt.Sprintf("with its tracked changes rejected, paragraph %d of the Word file reads %q where the base version has %q: edits made with Track Changes off cannot be told apart from the base", i+1, clip(o.Markup), clip(base[i].Markup())))
		}
		ids[i] = base[i].ID
	}
	edited := make([]Provision, len(f.Edited))
	for i, e := range f.Edited {
		ps, err := ParseProvisions(e.Markup, lim)
		if err != nil || len(ps) != 1 {
			return nil, wordError(fmt.Sprintf("edited paragraph %d (%q) is not one provision", i+1, clip(e.Markup)))
		}
		edited[i] = ps[0]
		if e.Origin >= 0 && e.Origin < len(ids) {
			edited[i].ID = ids[e.Origin]
		}
	}
	ops := OperationsByID(base, edited)
	if len(ops) == 0 {
		return nil, wordError("the Word file's tracked changes change nothing in the base version")
	}
	return ops, nil
}

// OperationsByID returns the operations that turn base into edited, whose
// provisions carry the ids of the base provisions they continue ("" for a
// new one): deletions first; then, in the edited order, moves of the
// provisions out of their relative order (the fewest, by a longest common
// subsequence) and replacements of changed text or number; then each run
// of new provisions as one insert after the kept provision before it.
func OperationsByID(base, edited []Provision) []Operation {
	inEdited := map[string]bool{}
	for _, p := range edited {
		if p.ID != "" {
			inEdited[p.ID] = true
		}
	}
	baseByID := map[string]Provision{}
	var ops []Operation
	var kept []string // base ids still present, in base order
	for _, p := range base {
		baseByID[p.ID] = p
		if !inEdited[p.ID] {
			ops = append(ops, Operation{Op: OpDelete, Provision: p.ID})
		} else {
			kept = append(kept, p.ID)
		}
	}
	var order []string // kept ids in edited order
	for _, p := range edited {
		if _, ok := baseByID[p.ID]; ok && p.ID != "" {
			order = append(order, p.ID)
		}
	}
	stable := lcs(kept, order)
	// Moves and replacements first, in the edited order: the kept
	// provisions end in their edited order.
	prev := ""
	for _, p := range edited {
		old, ok := baseByID[p.ID]
		if p.ID == "" || !ok {
			continue
		}
		if !stable[p.ID] {
			ops = append(ops, Operation{Op: OpMove, Provision: p.ID, After: prev})
		}
		if old.Text != p.Text || old.Number != p.Number {
			op := Operation{Op: OpReplace, Provision: p.ID, Text: p.Text}
			if old.Number != p.Number {
				n := p.Number
				op.Number = &n
			}
			ops = append(ops, op)
		}
		prev = p.ID
	}
	// Then each run of new provisions after the kept provision before it
	// (new ids are given when the proposal is stored).
	prev = ""
	for i := 0; i < len(edited); i++ {
		if _, ok := baseByID[edited[i].ID]; ok && edited[i].ID != "" {
			prev = edited[i].ID
			continue
		}
		var parts []string
		for ; i < len(edited); i++ {
			if _, ok := baseByID[edited[i].ID]; ok && edited[i].ID != "" {
				break
			}
			parts = append(parts, edited[i].Markup())
		}
		i--
		ops = append(ops, Operation{Op: OpInsert, After: prev, Text: strings.Join(parts, "\n\n")})
	}
	return ops
}

// lcs returns the set of ids in a longest common subsequence of a and b.
func lcs(a, b []string) map[string]bool {
	n, m := len(a), len(b)
	dp := make([][]int32, n+1)
	for i := range dp {
		dp[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	out := map[string]bool{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out[a[i]] = true
			i, j = i+1, j+1
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

func wordError(msg string) error {
	return &Error{Code: EINVALID, Message: "Word file: " + msg, Fields: []FieldError{{Field: "file", Message: msg}}}
}

// Word reads and writes Word documents. Implemented by package docx.
type Word interface {
	WordReader
	WordWriter
}

// WordReader reads Word documents. Implemented by package docx.
type WordReader interface {
	// ReadWord reads a .docx file. It returns EINVALID naming the problem
	// when the file is not a .docx, is larger than the limits once
	// decompressed, is macro-enabled, refers to anything outside itself
	// (other than hyperlinks) or holds DOCTYPE or entity declarations.
	// Nothing is ever fetched.
	ReadWord(data []byte) (*WordFile, error)
}

// WordWriter writes texts, tracked changes and compilations as .docx
// files. Implemented by package docx.
type WordWriter interface {
	// TextWord writes the clean text of v: symbol, title, numbered
	// provisions, headings, the adoption line (round may be nil) and page
	// numbers. Each provision carries its id in a bookmark.
	TextWord(w io.Writer, doc *Document, v *Version, round *AdoptionRound) error
	// ChangesWord writes the changes from one version to another as Word
	// tracked changes (insertions, deletions, moves), each authored by the
	// delegation that proposed it.
	ChangesWord(w io.Writer, doc *Document, from, to *Version, d *Diff) error
	// CompilationWord writes the compilation of v.
	CompilationWord(w io.Writer, doc *Document, v *Version, c *Compilation) error
}
