package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiffCommand(t *testing.T) {
	old := writeFile(t, "old.txt", "# Title\n\n1. The review shall take place every four years.\n\n2. Unchanged.\n")
	nw := writeFile(t, "new.txt", "# Title\n\n1. The review shall take place every five years.\n\n2. Unchanged.\n\n3. Added.\n")
	tests := []struct {
		format string
		want   []string
	}{
		{"text", []string{"[-four-]", "[+five+]", "Added."}},
		{"json", []string{`"kind": "modified"`, `"kind": "inserted"`}},
		{"html", []string{"<del", "four", "<ins", "five"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run([]string{"diff", "--format", tt.format, old, nw}, &out, &errs); code != 0 {
				t.Fatalf("exit %d: %s", code, errs.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
	t.Run("usage", func(t *testing.T) {
		var errs bytes.Buffer
		if code := run([]string{"diff", old}, io.Discard, &errs); code != 2 {
			t.Fatalf("exit %d, want 2", code)
		}
	})
	t.Run("bad file", func(t *testing.T) {
		bad := writeFile(t, "bad.txt", "1. \x00")
		var errs bytes.Buffer
		if code := run([]string{"diff", old, bad}, io.Discard, &errs); code != 1 || !strings.Contains(errs.String(), "NUL") {
			t.Fatalf("exit %d: %s", code, errs.String())
		}
	})
}
