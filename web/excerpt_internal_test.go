package web

import "testing"

// TestExcerpt: an excerpt cuts after n characters (not bytes), in both
// languages, and leaves a shorter text whole.
func TestExcerpt(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 5, ""},
		{"short", 5, "short"},
		{"shorter", 5, "short…"},
		{"Государства-члены", 11, "Государства…"},
		{"Государства", 11, "Государства"},
		{"a\u00a0b", 2, "a\u00a0…"},
		{"abc", 0, "…"},
	} {
		if got := excerpt(tt.s, tt.n); got != tt.want {
			t.Errorf("excerpt(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
