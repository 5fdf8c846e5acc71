package diffing_test

import (
	"testing"

	"chancery/diffing"
)

// TestWordsNotes: a note's marker is a word of its own, changed whole, and
// a changed note is a tracked change of its words.
func TestWordsNotes(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"consensus.[^1]\n[^1]: India reserves its position.",
			"consensus.[^1]\n[^1]: India maintains its position.",
			"consensus.[^1]\n[^1]: India [-reserves-]{+maintains+} its position."},
		{"consensus.[^1] more", "consensus.[^2] more", "consensus.[-[^1]-]{+[^2]+} more"},
		{"consensus.", "consensus.[^1]\n[^1]: New.", "consensus.{+[^1]\n[^1]: New.+}"},
	}
	d := diffing.New()
	for _, tt := range tests {
		segs, _ := d.Words(tt.old, tt.new)
		checkSegments(t, segs, tt.old, tt.new)
		if got := render(segs); got != tt.want {
			t.Errorf("Words(%q, %q) = %q, want %q", tt.old, tt.new, got, tt.want)
		}
	}
}
