package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// shBlock finds the ```sh blocks of a Markdown file.
var shBlock = regexp.MustCompile("(?s)```sh\n(.*?)```")

// mustFindTools returns the paths of the tools the README's walk-through
// uses; a missing one fails the test under CI=true and skips it elsewhere.
func mustFindTools(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the README's walk-through needs %s", name)
			}
			t.Skipf("the README's walk-through needs %s", name)
		}
	}
}

// TestReadmeWalkthrough runs the README's "Try the whole workflow" as it
// is written: the demo server started with the README's flags, its export
// lines, and the README's shell block run by bash with curl against it. The
// only change to the block is the server's address (the test's server
// listens on a free port). Every curl must answer 2xx, but those whose line
// says another status in a comment ("# 403: ..."), and the story must end
// as the README tells it: version 2 adopted, three PDFs, an intact trail.
func TestReadmeWalkthrough(t *testing.T) {
	mustFindTools(t, "bash", "curl", "python3")
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var serveArgs []string
	var script string
	for _, b := range shBlock.FindAllStringSubmatch(string(readme), -1) {
		if i := strings.Index(b[1], "go run ./cmd/chancery-server serve --demo"); i >= 0 && serveArgs == nil {
			line, _, _ := strings.Cut(b[1][i:], "\n")
			serveArgs = strings.Fields(strings.TrimPrefix(line, "go run ./cmd/chancery-server serve"))
		}
		if strings.Contains(b[1], "auth()") {
			script = b[1]
		}
	}
	if serveArgs == nil || script == "" {
		t.Fatal("README has no demo serve command or no walk-through block")
	}
	for i := range serveArgs {
		if i > 0 && serveArgs[i-1] == "--data-dir" {
			serveArgs[i] = t.TempDir()
		}
	}
	m := MustStartMain(t, nil, serveArgs...)

	// The export lines the README says to paste.
	env := os.Environ()
	exports := regexp.MustCompile(`(?m)^\s*export ([A-Z]+)=(\S+)`).FindAllStringSubmatch(m.stdout.String(), -1)
	for _, e := range exports {
		env = append(env, e[1]+"="+e[2])
	}
	if len(exports) < 5 {
		t.Fatalf("demo printed %d export lines:\n%s", len(exports), m.stdout.String())
	}
	const readmeBase = "http://127.0.0.1:8080"
	if strings.Count(script, readmeBase) != 1 {
		t.Fatalf("the walk-through should name %s once, in B=", readmeBase)
	}
	script = strings.Replace(script, readmeBase, m.URL(), 1)

	// curl reports each answer's status on stderr, leaving stdout (which
	// the walk-through pipes into python3) as it is.
	dir := t.TempDir()
	wrapper := filepath.Join(dir, "curl-status.sh")
	if err := os.WriteFile(wrapper, []byte(`curl() { command curl --write-out '%{stderr}STATUS %{http_code} %{url_effective}\n' "$@"; }`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(env, "BASH_ENV="+wrapper)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("walk-through: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}

	// Each curl of the block, in order, with the status its line expects.
	var want []string
	for _, line := range strings.Split(script, "\n") {
		for range strings.Count(line, "curl ") {
			status := "2xx"
			if m := regexp.MustCompile(`#\s*(\d{3})\b`).FindStringSubmatch(line); m != nil {
				status = m[1]
			}
			want = append(want, status)
		}
	}
	got := regexp.MustCompile(`(?m)^STATUS (\d{3}) (\S+)$`).FindAllStringSubmatch(stderr.String(), -1)
	if len(got) != len(want) {
		t.Fatalf("%d curl answers, want %d (one per curl of the block)\nstderr:\n%s", len(got), len(want), stderr.String())
	}
	for i, g := range got {
		if ok := g[1] == want[i] || (want[i] == "2xx" && g[1][0] == '2'); !ok {
			t.Errorf("curl %d (%s) answered %s, want %s", i+1, g[2], g[1], want[i])
		}
	}

	// The story ends as told.
	for _, f := range []string{"compilation.pdf", "changes.pdf", "agreed.pdf"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
			t.Errorf("%s: not a PDF (%v)", f, err)
		}
	}
	if !strings.Contains(stdout.String(), `"ok":true`) {
		t.Errorf("the trail's verification did not say ok:\n%s", stdout.String())
	}
	var kz, doc string
	for _, e := range exports {
		switch e[1] {
		case "KZ":
			kz = e[2]
		case "DOC":
			doc = e[2]
		}
	}
	req := fmt.Sprintf("%s/v1/documents/%s", m.URL(), doc)
	resp, body := getWithToken(t, req, kz)
	var d struct {
		State   string `json:"state"`
		Head    int    `json:"head"`
		Adopted int    `json:"adopted"`
	}
	if err := json.Unmarshal(body, &d); err != nil || resp != 200 {
		t.Fatalf("GET %s = %d %s", req, resp, body)
	}
	if d.State != "adopted" || d.Head != 2 || d.Adopted != 2 {
		t.Errorf("document = %+v, want version 2 adopted", d)
	}
}

// getWithToken GETs url with a bearer token and returns status and body.
func getWithToken(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}
