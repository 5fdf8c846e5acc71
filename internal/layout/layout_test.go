// Package layout checks the rooms of the repository's layout (see
// DESIGN.md): which package may import which, and who may name the
// service's concrete type. It reads the source, as go/build does; it has
// no code of its own.
package layout_test

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "chancery"

// adapters implement the domain's interfaces, one dependency each; none
// imports another, nor the service.
var adapters = []string{"api", "web", "storage", "diffing", "render", "policy", "docx", "webhook"}

// pkg is one package of the repository: its folder (slash-separated,
// relative to the root) and what go/build finds in it.
type pkg struct {
	dir string
	bp  *build.Package
}

// packages returns every package of the repository with Go files that
// are not tests.
func packages(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	var out []pkg
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		bp, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files, or only tests
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, pkg{dir: filepath.ToSlash(rel), bp: bp})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("found %d packages; the walk misses them", len(out))
	}
	return out
}

// room is the top folder of a package of the module ("storage" for
// chancery/storage/s3test), "" for another module's.
func room(importPath string) string {
	rest, ok := strings.CutPrefix(importPath, module+"/")
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(rest, "/")
	return first
}

// isStd reports whether an import path is the standard library's.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && first != module
}

func find(t *testing.T, all []pkg, dir string) pkg {
	t.Helper()
	for _, p := range all {
		if p.dir == dir {
			return p
		}
	}
	t.Fatalf("no package in %s", dir)
	return pkg{}
}

// TestDomainImportsOnlyTheStandardLibrary: drafts holds the domain and
// nothing else.
func TestDomainImportsOnlyTheStandardLibrary(t *testing.T) {
	for _, imp := range find(t, packages(t), "drafts").bp.Imports {
		if !isStd(imp) {
			t.Errorf("drafts imports %s", imp)
		}
	}
}

// TestServiceImportsOnlyTheDomain: the service implements the domain's
// interfaces over the domain alone; adapters are given to it.
func TestServiceImportsOnlyTheDomain(t *testing.T) {
	for _, imp := range find(t, packages(t), "service").bp.Imports {
		if !isStd(imp) && imp != module+"/drafts" {
			t.Errorf("service imports %s", imp)
		}
	}
}

// TestAdaptersImportNoOtherAdapter: each adapter depends on the domain
// (and shared internal helpers), never on another adapter or on the
// service; only api and web import Echo.
func TestAdaptersImportNoOtherAdapter(t *testing.T) {
	for _, p := range packages(t) {
		own := room(module + "/" + p.dir)
		if !slices.Contains(adapters, own) {
			continue
		}
		for _, imp := range p.bp.Imports {
			if r := room(imp); r != own && (slices.Contains(adapters, r) || r == "service") {
				t.Errorf("%s imports %s", p.dir, imp)
			}
			if strings.HasPrefix(imp, "github.com/labstack/echo") && own != "api" && own != "web" {
				t.Errorf("%s imports Echo", p.dir)
			}
		}
	}
}

var mentionsConcrete = regexp.MustCompile(`\bservice\.Service\b`)

// TestOnlyTheWiringNamesTheConcreteService: callers hold the interfaces
// (drafts.Service and its parts); outside the service package only
// cmd/, which wires it, names service.Service, in code or in words.
func TestOnlyTheWiringNamesTheConcreteService(t *testing.T) {
	for _, p := range packages(t) {
		if r := room(module + "/" + p.dir); r == "service" || r == "cmd" {
			continue
		}
		for _, name := range p.bp.GoFiles {
			path := filepath.Join(p.bp.Dir, name)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if mentionsConcrete.Match(src) {
				t.Errorf("%s/%s mentions service.Service", p.dir, name)
			}
			for _, use := range concreteUses(t, path, src) {
				t.Errorf("%s/%s:%d names the service's concrete type", p.dir, name, use)
			}
		}
	}
}

// concreteUses returns the lines of a file that name the type Service of
// package chancery/service, whatever the file calls the package.
func concreteUses(t *testing.T, path string, src []byte) []int {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	local := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == module+"/service" {
			local = "service"
			if imp.Name != nil {
				local = imp.Name.Name
			}
		}
	}
	if local == "" {
		return nil
	}
	var lines []int
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Service" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == local {
				lines = append(lines, fset.Position(sel.Pos()).Line)
			}
		}
		return true
	})
	return lines
}

// TestToolsLinkNoServer: chancery (diff) links the text packages and no
// part of the server, whose storage clients, metrics and HTTP stack would
// quadruple its start-up, nor the PDF and Word writers, whose libraries'
// initialisation is a tenth of a diff's time: of render, only its tracked
// changes (render/tracked). serve, admin, render and import are
// chancery-server's, which it runs.
func TestToolsLinkNoServer(t *testing.T) {
	all := packages(t)
	byPath := make(map[string]pkg, len(all))
	for _, p := range all {
		byPath[module+"/"+p.dir] = p
	}
	allowed := []string{"cmd", "drafts", "diffing", "render", "internal"}
	writers := []string{module + "/render", module + "/docx"}
	heavy := []string{"github.com/minio/", "github.com/prometheus/", "github.com/labstack/", "github.com/casbin/", "net/http", "github.com/jung-kurt/gofpdf"}
	seen := map[string]bool{}
	var walk func(path, from string)
	walk = func(path, from string) {
		if seen[path] {
			return
		}
		seen[path] = true
		if isStd(path) || room(path) == "" {
			for _, h := range heavy {
				if strings.HasPrefix(path, h) {
					t.Errorf("cmd/chancery links %s (through %s)", path, from)
				}
			}
			return
		}
		if !slices.Contains(allowed, room(path)) || slices.Contains(writers, path) || path == module+"/internal/layout" {
			t.Errorf("cmd/chancery links %s (through %s)", path, from)
		}
		p, ok := byPath[path]
		if !ok {
			t.Fatalf("no package %s", path)
		}
		for _, imp := range p.bp.Imports {
			walk(imp, path)
		}
	}
	walk(module+"/cmd/chancery", "")
	if !seen[module+"/render/tracked"] || !seen[module+"/diffing"] {
		t.Fatal("the walk did not reach the tools' own packages")
	}
}
