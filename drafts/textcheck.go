package drafts

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// CheckText reports, as an EINVALID error naming line and column, the first
// problem that makes s unacceptable as a text: invalid UTF-8, NUL or another
// control character (tab, line feed and carriage return are allowed), a
// bidirectional embedding, override or isolate (U+202A–U+202E,
// U+2066–U+2069), or a
// size over the limit (also EINVALID: the request was fine, the text is not).
func CheckText(s string, lim Limits) error {
	lim = lim.orDefault()
	if len(s) > lim.MaxBytes {
		msg := fmt.Sprintf("text is %d bytes; the limit is %d", len(s), lim.MaxBytes)
		return &Error{Code: EINVALID, Message: msg, Fields: []FieldError{{Field: "text", Message: msg}}}
	}
	if acceptable(s) {
		return nil
	}
	return firstProblem(s)
}

// acceptable reports, quickly, whether s has none of the problems
// CheckText reports (it never accepts what CheckText would refuse): valid
// UTF-8, by the standard library's check; then, eight bytes at a time,
// no byte that is a control character or may begin a C1 control (0xC2
// 0x80–0x9F) or a direction control (0xE2 0x80 0xAA–0xAE, 0xE2 0x81
// 0xA6–0xA9), and byte by byte where there is one. Every text the
// server or a tool takes is checked: rune by rune, this was a fifth of
// the time of chancery diff.
func acceptable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A high bit is set in some byte if a byte is under 0x20, DEL,
		// 0xC2 or 0xE2 (the tests for a zero byte and for a byte under n
		// of Hacker's Delight, exact on whether any byte is).
		if ((x-0x20*ones)&^x|zeroByte(x^0x7f*ones)|zeroByte(x^0xc2*ones)|zeroByte(x^0xe2*ones))&highs == 0 {
			continue
		}
		for j := i; j < i+8; j++ {
			if suspect[s[j]] && forbiddenAt(s, j) {
				return false
			}
		}
	}
	for ; i < len(s); i++ {
		if suspect[s[i]] && forbiddenAt(s, i) {
			return false
		}
	}
	return true
}

// zeroByte has a high bit set in some byte if a byte of v is zero.
func zeroByte(v uint64) uint64 { return (v - 0x0101010101010101) &^ v }

// suspect marks the bytes acceptable looks at closer: control characters
// but tab, line feed and carriage return; DEL; and the first bytes of the
// C1 controls and of the direction controls.
var suspect = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t[0x7f], t[0xc2], t[0xe2] = true, true, true
	return t
}()

// forbiddenAt reports whether the character at byte i of s, valid UTF-8,
// where a suspect byte is, is one CheckText refuses.
func forbiddenAt(s string, i int) bool {
	switch s[i] {
	case 0xc2: // U+0080–U+00BF: the C1 controls are U+0080–U+009F
		return s[i+1] < 0xa0
	case 0xe2: // U+2000–U+2FFF
		b1, b2 := s[i+1], s[i+2]
		return b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae || b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9
	}
	return true // a control character or DEL
}

// firstProblem is CheckText's error for a text acceptable refused: the
// first problem, rune by rune, with its line and column.
func firstProblem(s string) error {
	line, col := 1, 1
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f { // printable ASCII: the common case
			i, col = i+1, col+1
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return textError(line, col, fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", s[i]))
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r':
		case r == 0:
			return textError(line, col, "NUL character")
		case unicode.IsControl(r):
			return textError(line, col, fmt.Sprintf("control character U+%04X", r))
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			// Explicit embeddings, overrides and isolates make the words
			// shown differ in order from the words stored: a negotiated
			// text must read as it is. Right-to-left scripts need none of
			// them (marks such as U+200F stay allowed).
			return textError(line, col, fmt.Sprintf("direction control character U+%04X (it would make the text display in another order than it is stored)", r))
		}
		i += size
		col++
	}
	return nil
}

func textError(line, col int, msg string) *Error {
	return &Error{
		Code:    EINVALID,
		Message: fmt.Sprintf("text: line %d, column %d: %s", line, col, msg),
		Fields:  []FieldError{{Field: "text", Line: line, Column: col, Message: msg}},
	}
}
