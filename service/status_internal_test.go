package service

import (
	"strings"
	"testing"
)

// TestCountWords: the words counted for the agreement are those
// strings.Fields finds, in both languages and with any white space.
func TestCountWords(t *testing.T) {
	for _, s := range []string{"", " ", "one", " one  two\tthree\n", "Государства-члены\u00a0сотрудничают", "a\u2003b\u3000c", "6 bis. The  Chair\r\n"} {
		if got, want := countWords(s), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	}
}
