package service_test

import (
	"fmt"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// TestCompilationKeepsProposalsWithoutTheirText: proposals sent as whole
// texts, together larger than the cache, are read once for the
// compilation: it keeps them without the text (which it never reads), so
// the next reader's compilation reads none again.
func TestCompilationKeepsProposalsWithoutTheirText(t *testing.T) {
	var paras []string
	for i := 1; i <= 750; i++ {
		paras = append(paras, fmt.Sprintf("%d. The member states shall consult each other on matters of common security (%d), %s.", i, i, strings.Repeat("and confidence building measures in all dimensions ", 6)))
	}
	text := strings.Join(paras, "\n\n")
	store := &keyReads{ObjectStore: MustOpenLocal(t), part: "/proposals/"}
	f := MustFixture(t, store, text)
	f.svc = service.New(store, diffing.New(), MustPolicy(t))
	f.svc.CacheBytes = 2 << 20 // less than the 8 proposals' texts
	const n = 8
	for i := 0; i < n; i++ {
		edited := slicesWith(paras, i*90, fmt.Sprintf("%d. Proposal %d.", i*90+1, i))
		if _, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Text: strings.Join(edited, "\n\n"), Justification: "whole text"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(text)*n <= int(f.svc.CacheBytes) {
		t.Fatalf("the texts (%d bytes) fit in the cache: the test shows nothing", len(text)*n)
	}
	store.take()
	comp, _, err := f.svc.Compile(f.kz, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := comp.Counts(); p != n {
		t.Fatalf("the compilation lists %d proposals, want %d", p, n)
	}
	store.take()
	if _, _, err := f.svc.Compile(f.chair, f.doc, 0); err != nil {
		t.Fatal(err)
	}
	if got := store.take(); got != 0 {
		t.Errorf("the second compilation read %d proposals again, want none", got)
	}
}

// slicesWith returns a copy of s with s[i] = v.
func slicesWith(s []string, i int, v string) []string {
	out := append([]string(nil), s...)
	out[i] = v
	return out
}
