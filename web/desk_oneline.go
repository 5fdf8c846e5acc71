package web

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"chancery/drafts"
)

// oneLine shortens a tracked change to its changed words with n words
// of context each side, "…" where words are left out; the words kept are
// joined by single spaces (as strings.Fields splits them), a change's
// one segment is kept as it is. The words are found from the ends of
// each unchanged segment inwards: a paragraph changed in one word is read
// for a few words either side of it, not split whole.
func oneLine(segs []drafts.Segment, n int) []drafts.Segment {
	out := make([]drafts.Segment, 0, len(segs))
	for i, s := range segs {
		if s.Op != drafts.SegEqual {
			out = append(out, s)
			continue
		}
		first, last := i == 0, i == len(segs)-1
		var text string
		switch {
		case first && last:
			text = s.Text
		case first:
			words, more := lastWords(s.Text, n)
			text = words
			if more {
				text = "… " + words
			}
		case last:
			words, more := firstWords(s.Text, n)
			text = words
			if more {
				text = words + " …"
			}
		default:
			words, more := firstWords(s.Text, 2*n)
			text = words
			if more {
				head, _ := firstWords(s.Text, n)
				tail, _ := lastWords(s.Text, n)
				text = head + " … " + tail
			}
		}
		if !first && strings.HasPrefix(s.Text, " ") {
			text = " " + text
		}
		if !last && strings.HasSuffix(s.Text, " ") {
			text += " "
		}
		out = append(out, drafts.Segment{Op: drafts.SegEqual, Text: text})
	}
	return out
}

// firstWords returns the first k words of s (as strings.Fields splits
// them) joined by single spaces, and whether s has more.
func firstWords(s string, k int) (string, bool) {
	var b strings.Builder
	i, count := 0, 0
	for {
		for i < len(s) {
			r, w := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += w
		}
		if i == len(s) {
			return b.String(), false
		}
		if count == k {
			return b.String(), true
		}
		start := i
		for i < len(s) {
			r, w := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			i += w
		}
		if count > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[start:i])
		count++
	}
}

// lastWords returns the last k words of s (as strings.Fields splits
// them) joined by single spaces, and whether s has more.
func lastWords(s string, k int) (string, bool) {
	var words []string // from the end
	i := len(s)
	for {
		for i > 0 {
			r, w := utf8.DecodeLastRuneInString(s[:i])
			if !unicode.IsSpace(r) {
				break
			}
			i -= w
		}
		if i == 0 || len(words) == k {
			var b strings.Builder
			for j := len(words) - 1; j >= 0; j-- {
				b.WriteString(words[j])
				if j > 0 {
					b.WriteByte(' ')
				}
			}
			return b.String(), i > 0
		}
		end := i
		for i > 0 {
			r, w := utf8.DecodeLastRuneInString(s[:i])
			if unicode.IsSpace(r) {
				break
			}
			i -= w
		}
		words = append(words, s[i:end])
	}
}
