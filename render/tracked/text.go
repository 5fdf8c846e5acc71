package tracked

import (
	"bufio"
	"io"
	"strings"

	"chancery/drafts"
)

// Text writes d as plain text in the manner of git diff --word-diff:
// only the changed provisions, separated by blank lines, with
// [+inserted+] and [-deleted-] words, each run of changes followed by the
// delegations that proposed it in braces ({KZ}). Structural changes get a
// line of their own before the provision:
//
//	++ inserted provision 5 ++ {RU}
//	-- deleted provision 9 --
//	== provision 7 moved after 3 ==
//
// and a renumbered provision shows both numbers: "3. → 4.". A diff with no
// change writes "(no changes)". A changed word is shown whole: the old word
// deleted and the new one inserted, never letters inside a word.
//
// The texts are escaped so that the markup reads back unambiguously (see
// escapeChanged and escapeEqual, and docs/diff-format.md): a backslash
// makes the character after it plain text.
func Text(w io.Writer, d *drafts.Diff) error {
	if d == nil {
		d = &drafts.Diff{}
	}
	bw := bufio.NewWriter(w)
	if d.Coarse {
		bw.WriteString("(coarse diff: the word diff hit its limit; some changes are whole-text replacements)\n\n")
	}
	n := 0
	for i := range d.Changes {
		c := &d.Changes[i]
		if c.Kind == drafts.ChangeUnchanged {
			continue
		}
		if n > 0 {
			bw.WriteString("\n")
		}
		n++
		writeTextChange(bw, d, c)
	}
	if n == 0 {
		bw.WriteString("(no changes)\n")
	}
	return bw.Flush()
}

func writeTextChange(w *bufio.Writer, d *drafts.Diff, c *drafts.Change) {
	attribution := func() {
		if dl := ChangeDelegations(c); len(dl) > 0 {
			w.WriteString(" {" + strings.Join(dl, ", ") + "}")
		}
	}
	switch c.Kind {
	case drafts.ChangeInserted:
		w.WriteString("++ inserted " + provisionName(c.ProvisionKind, c.Number, c.Text))
		if c.After != "" {
			w.WriteString(" after " + diffRef(d, c.After))
		} else {
			w.WriteString(" at the start")
		}
		w.WriteString(" ++")
		attribution()
		w.WriteString("\n[+" + escapeChanged(markup(c.Number, c.Text)) + "+]\n")
		return
	case drafts.ChangeDeleted:
		old := OldNumber(c)
		w.WriteString("-- deleted " + provisionName(c.ProvisionKind, old, c.OldText) + " --")
		attribution()
		w.WriteString("\n[-" + escapeChanged(markup(old, c.OldText)) + "-]\n")
		return
	}
	moved := c.Moved || c.Kind == drafts.ChangeMoved
	renumbered := c.Renumbered || c.Kind == drafts.ChangeRenumbered
	modified := c.Modified || c.Kind == drafts.ChangeModified
	if moved {
		w.WriteString("== " + provisionName(c.ProvisionKind, c.Number, c.Text) + " moved ")
		if c.After == "" {
			w.WriteString("to the start")
		} else {
			w.WriteString("after " + diffRef(d, c.After))
		}
		w.WriteString(" ==")
		attribution()
		w.WriteString("\n")
	}
	switch {
	case renumbered && OldNumber(c) != c.Number:
		w.WriteString(OldNumber(c) + " → " + c.Number + " ")
	case c.Number != "":
		w.WriteString(c.Number + " ")
	}
	if !modified {
		w.WriteString(escapeEqual(c.Text, c.Number == "") + "\n")
		return
	}
	runs := SegmentRuns(ModifiedSegments(c), func(s drafts.Segment) string { return SegmentTag(s, c) })
	lineStart := c.Number == ""
	for _, run := range runs {
		for _, s := range run.Segs {
			switch s.Op {
			case drafts.SegInsert:
				w.WriteString("[+" + escapeChanged(s.Text) + "+]")
			case drafts.SegDelete:
				w.WriteString("[-" + escapeChanged(s.Text) + "-]")
			default:
				w.WriteString(escapeEqual(s.Text, lineStart))
			}
			lineStart = false
		}
		if run.Changed && run.Tag != "" {
			w.WriteString("{" + run.Tag + "}")
		}
	}
	w.WriteString("\n")
}

// markup is a provision as written: marker, space, text.
func markup(number, text string) string { return drafts.Markup(number, text) }

// escapeChanged escapes the text of an insertion or deletion: a backslash
// goes before each \, [, ], { and }, so that "[+[+]" (an inserted "[")
// is written "[+\[+]" and the markup's own brackets are the only bare
// ones inside a change.
func escapeChanged(s string) string {
	if !strings.ContainsAny(s, `\[]{}`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '[', ']', '{', '}':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeEqual escapes unchanged text, which keeps its square brackets bare
// (a bracketed, not yet agreed text reads "[text]"): a backslash goes before
// each \, { and }, and before a [ followed by + or -, which would open a
// change. At the start of a line (lineStart), a text beginning with "++",
// "--" or "==", which would read as a structural line, gets a backslash
// before its first character.
func escapeEqual(s string, lineStart bool) string {
	if lineStart && (strings.HasPrefix(s, "++") || strings.HasPrefix(s, "--") || strings.HasPrefix(s, "==")) {
		return "\\" + s[:1] + escapeEqual(s[1:], false)
	}
	if !strings.ContainsAny(s, `\[{}`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '{' || c == '}':
			b.WriteByte('\\')
		case c == '[' && i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-'):
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
