package layout_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Limits of the house style (STYLE.md): a file past maxFileLines or a
// function past maxFuncLines is asking to be split.
const (
	maxFileLines = 500
	maxFuncLines = 80
)

// TestFilesAndFunctionsStaySmall checks every non-test Go file of the
// repository against the house limits, generated files aside.
func TestFilesAndFunctionsStaySmall(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, p := range packages(t) {
		for _, name := range p.bp.GoFiles {
			path := filepath.Join(root, p.dir, name)
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			if ast.IsGenerated(f) {
				continue
			}
			checked++
			rel := filepath.ToSlash(filepath.Join(p.dir, name))
			if n := fset.File(f.Pos()).LineCount(); n > maxFileLines {
				t.Errorf("%s has %d lines; split it by concern (at most %d)", rel, n, maxFileLines)
			}
			for _, fd := range funcs(f) {
				from, to := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
				if n := to - from + 1; n > maxFuncLines {
					t.Errorf("%s:%d: %s has %d lines; make it a few named steps (at most %d)", rel, from, funcName(fd), n, maxFuncLines)
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("checked %d files; the walk misses them", checked)
	}
}

func funcs(f *ast.File) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			out = append(out, fd)
		}
	}
	return out
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	recv := fd.Recv.List[0].Type
	if s, ok := recv.(*ast.StarExpr); ok {
		recv = s.X
	}
	if ix, ok := recv.(*ast.IndexExpr); ok {
		recv = ix.X
	}
	if id, ok := recv.(*ast.Ident); ok {
		return strings.TrimPrefix(id.Name, "*") + "." + fd.Name.Name
	}
	return fd.Name.Name
}
