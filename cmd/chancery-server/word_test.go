package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestWordCommands: render --format docx writes a text or its tracked
// changes as .docx, and import prints them back as markup.
func TestWordCommands(t *testing.T) {
	const oldText = "# Раздел I\n\n1. Государства-члены согласовывают настоящую Дорожную карту.\n"
	const newText = "# Раздел I\n\n1. Государства-члены одобряют настоящую Дорожную карту.\n\n2. Новый пункт.\n"
	old := writeFile(t, "old.txt", oldText)
	nw := writeFile(t, "new.txt", newText)
	dir := t.TempDir()
	for _, tt := range []struct {
		name       string
		render     []string
		importArgs []string
		want       string
		stderr     string
	}{
		{"text", []string{"render", "--format", "docx", nw, "-o", filepath.Join(dir, "text.docx")}, []string{"import", filepath.Join(dir, "text.docx")}, newText, ""},
		{"changes accepted", []string{"render", "--format", "docx", "--against", old, nw, "-o", filepath.Join(dir, "changes.docx")}, []string{"import", filepath.Join(dir, "changes.docx")}, newText, "every change accepted"},
		{"changes rejected", nil, []string{"import", "--original", filepath.Join(dir, "changes.docx")}, oldText, "every change rejected"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if tt.render != nil {
				if code := run(context.Background(), tt.render, &out, &errs); code != 0 {
					t.Fatalf("render: exit %d: %s", code, errs.String())
				}
			}
			out.Reset()
			errs.Reset()
			if code := run(context.Background(), tt.importArgs, &out, &errs); code != 0 {
				t.Fatalf("import: exit %d: %s", code, errs.String())
			}
			if got := out.String(); got != tt.want {
				t.Errorf("import printed:\n%s\nwant:\n%s", got, tt.want)
			}
			if !strings.Contains(errs.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", errs.String(), tt.stderr)
			}
		})
	}
	t.Run("not a docx", func(t *testing.T) {
		var errs bytes.Buffer
		if code := run(context.Background(), []string{"import", old}, &bytes.Buffer{}, &errs); code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		if got := errs.String(); !strings.Contains(got, "not a zip archive") || strings.Count(got, "\n") != 1 {
			t.Errorf("stderr %q", got)
		}
	})
	t.Run("bad format", func(t *testing.T) {
		if code := run(context.Background(), []string{"render", "--format", "odt", nw, "-o", filepath.Join(dir, "x")}, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
			t.Errorf("exit %d, want 2", code)
		}
	})
}
