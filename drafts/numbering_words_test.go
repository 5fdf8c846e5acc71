package drafts

import (
	"strings"
	"testing"
)

// TestHeadingWordsUpper: the capitals of the heading words are theirs.
func TestHeadingWordsUpper(t *testing.T) {
	for _, hw := range headingWords {
		if hw.upper != strings.ToUpper(hw.word) {
			t.Errorf("%q: upper %q, want %q", hw.word, hw.upper, strings.ToUpper(hw.word))
		}
	}
}
