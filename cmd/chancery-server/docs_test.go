package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOperatorsGuideListsEveryFlag: docs/operations.md names every flag of
// chancery serve and every environment variable it reads.
func TestOperatorsGuideListsEveryFlag(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join("..", "..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	var usage bytes.Buffer
	m := NewMain(&usage, &usage)
	if err := m.ParseFlags([]string{"-h"}, func(string) string { return "" }); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("ParseFlags(-h) = %v", err)
	}
	flags := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(usage.String(), -1)
	vars := regexp.MustCompile(`\((CHANCERY_[A-Z0-9_]+)\)`).FindAllStringSubmatch(usage.String(), -1)
	if len(flags) < 10 || len(vars) < 10 {
		t.Fatalf("found %d flags and %d variables in the usage:\n%s", len(flags), len(vars), usage.String())
	}
	for _, f := range flags {
		if !strings.Contains(string(guide), "`--"+f[1]+"`") {
			t.Errorf("docs/operations.md does not name the flag --%s", f[1])
		}
	}
	for _, v := range vars {
		if !strings.Contains(string(guide), "`"+v[1]+"`") {
			t.Errorf("docs/operations.md does not name the variable %s", v[1])
		}
	}
}
