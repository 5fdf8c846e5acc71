// Package corpus holds the texts that tests, benchmarks and the demo use:
// public press releases of the forum and sample drafts in Chancery's
// markup, embedded so that nothing outside the repository is read.
package corpus

import (
	"embed"
	"io/fs"
	"sort"
	"testing"
)

//go:embed *.txt
var files embed.FS

// Names returns the file names of the corpus, sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(err) // embedded: cannot fail
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// Text returns the text of the named file, or an error if there is none.
func Text(name string) (string, error) {
	b, err := files.ReadFile(name)
	return string(b), err
}

// All returns every text of the corpus by file name.
func All() map[string]string {
	m := map[string]string{}
	for _, n := range Names() {
		m[n], _ = Text(n)
	}
	return m
}

// Must returns the text of the named file and fails tb if there is none.
func Must(tb testing.TB, name string) string {
	tb.Helper()
	s, err := Text(name)
	if err != nil {
		tb.Fatalf("corpus: %v", err)
	}
	return s
}
