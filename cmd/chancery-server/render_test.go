package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes text to a new file of that name and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRenderCommand(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not installed (./test.sh installs poppler-utils)")
		}
		t.Skip("pdftotext not installed; run ./test.sh")
	}
	old := writeFile(t, "old.txt", "1. Государства-члены согласовывают настоящую Дорожную карту.\n")
	nw := writeFile(t, "new.txt", "1. Государства-члены одобряют настоящую Дорожную карту.\n")
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"agreed, titled with the file's name", []string{"render", nw, "-o", filepath.Join(dir, "agreed.pdf")}, []string{"одобряют", "new.txt"}},
		{"changes", []string{"render", "--against", old, nw, "-o", filepath.Join(dir, "changes.pdf")}, []string{"согласовывают", "одобряют"}},
		{"russian labels, title, symbol", []string{"render", "--language", "ru", "--title", "Дорожная карта", "--symbol", "CICA/SWG/2026/R.2", "--body", "SWG",
			"--against", old, nw, "-o", filepath.Join(dir, "ru.pdf")},
			[]string{"Дорожная карта", "CICA/SWG/2026/R.2", "Изменения от", "Совещание по взаимодействию и мерам доверия в Азии"}},
		{"forum name", []string{"render", "--forum-name", "Forum of Việt Nam and Қазақстан", nw, "-o", filepath.Join(dir, "forum.pdf")},
			[]string{"Forum of Việt Nam and Қазақстан"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var errs bytes.Buffer
			if code := run(context.Background(), tt.args, io.Discard, &errs); code != 0 {
				t.Fatalf("exit %d: %s", code, errs.String())
			}
			out := tt.args[len(tt.args)-1]
			text, err := exec.Command("pdftotext", out, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(text), w) {
					t.Errorf("PDF text lacks %q:\n%s", w, text)
				}
			}
			// The default title is the file's name, not where it lies.
			if strings.Contains(string(text), filepath.Dir(nw)) {
				t.Errorf("PDF text names the text's folder %s:\n%s", filepath.Dir(nw), text)
			}
		})
	}
}

func TestRenderCommandUsage(t *testing.T) {
	nw := writeFile(t, "new.txt", "1. Text.\n")
	out := filepath.Join(t.TempDir(), "x.pdf")
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"bad language", []string{"render", "--language", "Russian!", nw, "-o", out}, "--language"},
		{"forum the fonts cannot print", []string{"render", "--forum-name", "亚信会议", nw, "-o", out}, "CHANCERY_FORUM_NAME / --forum-name: the forum name holds characters"},
		{"fallback font missing", []string{"render", "--fallback-font", filepath.Join(t.TempDir(), "none.ttf"), nw, "-o", out}, "chancery: --fallback-font: open "},
		{"fallback font not a font", []string{"render", "--fallback-font", nw, nw, "-o", out}, "chancery: --fallback-font: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var errs bytes.Buffer
			if code := run(context.Background(), tt.args, io.Discard, &errs); code != 2 || !strings.Contains(errs.String(), tt.want) {
				t.Fatalf("exit %d, want 2 with %q: %s", code, tt.want, errs.String())
			}
		})
	}
}

// TestToolErrorsSayChanceryOnce: a refusal from the domain (here a text the
// PDF fonts cannot print) is one line that starts with "chancery: " once
// and then says what is wrong, without the error code.
func TestToolErrorsSayChanceryOnce(t *testing.T) {
	cjk := writeFile(t, "cjk.txt", "1. 中文文本.\n")
	out := filepath.Join(t.TempDir(), "x.pdf")
	var errs bytes.Buffer
	code := run(context.Background(), []string{"render", cjk, "-o", out}, io.Discard, &errs)
	const want = "chancery: the text holds characters"
	if code != 1 || !strings.HasPrefix(errs.String(), want) || strings.Count(errs.String(), "\n") != 1 {
		t.Fatalf("exit %d, want 1 and one line starting %q: %q", code, want, errs.String())
	}
}
