package docs_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"chancery/api"
	"chancery/drafts"
)

// routeHeading is a route's heading in api.md: ### `GET /v1/me`.
var routeHeading = regexp.MustCompile("(?m)^### `([A-Z]+) (/[^`]*)`\\s*$")

// documentedRoutes returns the routes of an API reference in Markdown,
// "METHOD /path", in the order they appear.
func documentedRoutes(md string) []string {
	var out []string
	for _, m := range routeHeading.FindAllStringSubmatch(md, -1) {
		out = append(out, m[1]+" "+m[2])
	}
	return out
}

// openapiRoutes returns the routes of an OpenAPI document, "METHOD /path".
func openapiRoutes(t *testing.T, doc []byte) []string {
	t.Helper()
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	var out []string
	for path, item := range d.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				out = append(out, strings.ToUpper(method)+" "+path)
			}
		}
	}
	slices.Sort(out)
	return out
}

// routeDifferences says which routes are in one list and not the other.
func routeDifferences(documented, specified []string) []string {
	var diffs []string
	for _, r := range specified {
		if !slices.Contains(documented, r) {
			diffs = append(diffs, r+": in api/openapi.json but not in docs/api.md (add a heading ### `"+r+"`)")
		}
	}
	for _, r := range documented {
		if !slices.Contains(specified, r) {
			diffs = append(diffs, r+": in docs/api.md but not in api/openapi.json")
		}
	}
	return diffs
}

// TestAPIReferenceMatchesOpenAPI: docs/api.md has a section for every
// route of api/openapi.json, with the same method, and no other.
func TestAPIReferenceMatchesOpenAPI(t *testing.T) {
	md, err := os.ReadFile("api.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := documentedRoutes(string(md))
	if len(documented) == 0 {
		t.Fatal("docs/api.md has no route headings")
	}
	for i, r := range documented {
		if slices.Contains(documented[:i], r) {
			t.Errorf("%s: documented twice in docs/api.md", r)
		}
	}
	for _, d := range routeDifferences(documented, openapiRoutes(t, api.OpenAPI)) {
		t.Error(d)
	}
}

// TestRouteDifferences: the comparison itself notices a route added on
// either side, or documented with another method.
func TestRouteDifferences(t *testing.T) {
	spec := []string{"GET /v1/me", "POST /v1/delegations"}
	tests := []struct {
		name       string
		documented []string
		want       int
	}{
		{"same", []string{"POST /v1/delegations", "GET /v1/me"}, 0},
		{"missing in the docs", []string{"GET /v1/me"}, 1},
		{"extra in the docs", []string{"GET /v1/me", "POST /v1/delegations", "GET /v1/nothing"}, 1},
		{"other method", []string{"GET /v1/me", "PUT /v1/delegations"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := routeDifferences(tt.documented, spec); len(got) != tt.want {
				t.Errorf("differences = %q, want %d", got, tt.want)
			}
		})
	}
}

// markdownLink finds the target of a Markdown link or image.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestLinksStayInTheRepository: every link of the README and of docs/ that
// is not a web address points at a file of the repository, inside it.
func TestLinksStayInTheRepository(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "README.md"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if outside := filepath.Join("..", "shared"); strings.Contains(string(b), outside) {
			t.Errorf("%s mentions %s, which a clone does not have", f, outside)
		}
		for _, m := range markdownLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "#") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			abs, err := filepath.Abs(filepath.Join(filepath.Dir(f), target))
			if err != nil {
				t.Fatal(err)
			}
			if rel, err := filepath.Rel(root, abs); err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s links to %s, outside the repository", f, m[1])
				continue
			}
			if _, err := os.Stat(abs); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, m[1])
			}
		}
	}
}

// textBlock finds the ```text examples of a Markdown file.
var textBlock = regexp.MustCompile("(?s)```text\n(.*?)```")

// TestTextFormatExamples: every example of docs/text-format.md is a valid
// text that prints back unchanged, and the English one has the kinds the
// page says.
func TestTextFormatExamples(t *testing.T) {
	md, err := os.ReadFile("text-format.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := textBlock.FindAllStringSubmatch(string(md), -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d examples, want English and Russian", len(blocks))
	}
	for i, b := range blocks {
		text, err := drafts.ParseText(b[1], drafts.Limits{})
		if err != nil {
			t.Errorf("example %d: %v", i+1, err)
			continue
		}
		if got := text.Print(); got != b[1] {
			t.Errorf("example %d does not print back unchanged:\n%q\n%q", i+1, got, b[1])
		}
		var kinds []string
		for _, p := range text.Provisions {
			kinds = append(kinds, p.Kind+" "+p.Number)
		}
		if i == 0 {
			want := []string{"heading #", "paragraph 6.", "paragraph 7.", "item (a)", "item (b)", "paragraph "}
			if !slices.Equal(kinds, want) {
				t.Errorf("English example = %q, want %q", kinds, want)
			}
		}
		if i == 1 {
			want := []string{"heading #", "paragraph 5.", "paragraph 6.", "item (а)", "item (б)", "paragraph 3.1."}
			if !slices.Equal(kinds, want) {
				t.Errorf("Russian example = %q, want %q", kinds, want)
			}
		}
		if i == 2 {
			want := []string{"preamble ", "preamble ", "preamble ", "heading Chapter II", "heading Rule 3.", "paragraph 1.", "paragraph 1 bis.", "item (a)"}
			if !slices.Equal(kinds, want) {
				t.Errorf("rules example = %q, want %q", kinds, want)
			}
		}
		if i == 3 {
			want := []string{"heading Глава II", "heading Правило 3.", "paragraph 1.", "paragraph 1-бис."}
			if !slices.Equal(kinds, want) {
				t.Errorf("Russian rules example = %q, want %q", kinds, want)
			}
		}
		if i == 4 || i == 5 { // notes, in English and Russian
			var notes []int
			for _, p := range text.Provisions {
				notes = append(notes, len(drafts.SplitNotes(p.Text).Notes))
			}
			if want := [][]int{{2, 0}, {1, 1}}[i-4]; !slices.Equal(notes, want) {
				t.Errorf("notes example %d has notes %v, want %v", i-3, notes, want)
			}
		}
	}
}
