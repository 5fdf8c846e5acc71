package diffing

import (
	"unicode"
	"unicode/utf8"

	"chancery/drafts"
)

// tokenize appends to dst the tokens of s, each a substring of s, so that
// their concatenation is s:
//
//   - a word: a run of letters, digits and combining marks, in any script;
//   - in scripts written without spaces between words (Han, Hiragana,
//     Katakana, Thai, Lao, Khmer, Myanmar): one character with the
//     combining marks that follow it;
//   - a run of white space (spaces, tabs, line breaks);
//   - a note's marker ("[^1]", see drafts.SplitNotes);
//   - any other character (punctuation, a symbol) with the combining marks
//     that follow it, or one byte of invalid UTF-8.
func tokenize(s string, dst []string) []string {
	for i := 0; i < len(s); {
		j := i + 1
		if c := s[i]; c < utf8.RuneSelf {
			switch asciiClass[c] {
			case 'w':
				j = wordEnd(s, j)
			case 's':
				j = spaceEnd(s, j)
			default:
				j = skipMarks(s, j)
				if c == '[' && j < len(s) && s[j] == '^' {
					if n := drafts.NoteMarkerLen(s[i:]); n > 0 {
						j = i + n // a note's marker "[^1]" is one token
					}
				}
			}
			dst = append(dst, s[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		j = i + size
		switch {
		case r == utf8.RuneError && size == 1:
			// An invalid byte is a token of its own.
		case unicode.IsSpace(r):
			j = spaceEnd(s, j)
		case isUnspaced(r):
			j = skipMarks(s, j)
		case isWordRune(r):
			j = wordEnd(s, j)
		default:
			j = skipMarks(s, j)
		}
		dst = append(dst, s[i:j])
		i = j
	}
	return dst
}

// asciiClass classes the ASCII characters: w for a word character, s for
// white space, p for anything else.
const asciiClass = "pppppppppsssssppppppppppppppppppspppppppppppppppwwwwwwwwwwpppppppwwwwwwwwwwwwwwwwwwwwwwwwwwppppppwwwwwwwwwwwwwwwwwwwwwwwwwwppppp"

// wordEnd returns the end of the word that goes on at j.
func wordEnd(s string, j int) int { return runEnd(s, j, 'w') }

// spaceEnd returns the end of the white space that goes on at j.
func spaceEnd(s string, j int) int { return runEnd(s, j, 's') }

// runEnd returns the end of the run of one class of characters that goes
// on at j: word characters (class 'w', not of a script written without
// spaces) or white space ('s'), as asciiClass classes them.
func runEnd(s string, j int, class byte) int {
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			if asciiClass[c] != class {
				break
			}
			j++
			continue
		}
		r, sz := utf8.DecodeRuneInString(s[j:])
		if class == 'w' && (!isWordRune(r) || isUnspaced(r)) || class == 's' && !unicode.IsSpace(r) {
			break
		}
		j += sz
	}
	return j
}

func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

func skipMarks(s string, j int) int {
	for j < len(s) {
		r, sz := decode(s, j)
		if r < 0x300 || !unicode.IsMark(r) {
			break
		}
		j += sz
	}
	return j
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r] == 'w'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// isUnspaced reports whether r is a character (not a mark) of a script
// written without spaces between words.
func isUnspaced(r rune) bool {
	return r >= 0x0E00 && isUnspacedSlow(r)
}

func isUnspacedSlow(r rune) bool {
	if unicode.IsMark(r) {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Thai, r) ||
		unicode.Is(unicode.Lao, r) || unicode.Is(unicode.Khmer, r) ||
		unicode.Is(unicode.Myanmar, r)
}

// isLetterWord reports whether a token is a word of letters (and marks) only.
func isLetterWord(tok string) bool {
	if tok == "" {
		return false
	}
	for _, r := range tok {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return true
}

// Tokens are encoded as runes from firstCode on, skipping the surrogates.
// Starting above ASCII and Latin-1 keeps go-diff's cosmetic boundary
// scoring neutral: every encoded boundary scores alike.
const (
	firstCode     = 0x100
	surrogateLow  = 0xD800
	surrogateHigh = 0xE000
	maxCodes      = utf8.MaxRune + 1 - firstCode - (surrogateHigh - surrogateLow)
)

// encoder maps each distinct token to one valid rune. One encoder serves
// every text of one call so that equal tokens get equal runes.
type encoder struct {
	codes map[string]rune
}

func newEncoder() *encoder {
	return &encoder{codes: make(map[string]rune, 256)}
}

// encode appends the runes of the tokens toks[i], for i in at, to dst. ok
// is false when the encoder has no rune left for a new token.
func (e *encoder) encode(toks []string, at []int, dst []rune) (out []rune, ok bool) {
	for _, i := range at {
		t := toks[i]
		c, found := e.codes[t]
		if !found {
			n := len(e.codes)
			if n >= maxCodes {
				return dst, false
			}
			c = rune(firstCode + n)
			if c >= surrogateLow {
				c += surrogateHigh - surrogateLow
			}
			e.codes[t] = c
		}
		dst = append(dst, c)
	}
	return dst, true
}
