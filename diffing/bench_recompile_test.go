package diffing_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"chancery/bench/diff/gendoc"
	"chancery/diffing"
	"chancery/drafts"
)

// Sizes of the recompilation benchmark: open proposals, provisions of the
// text, provisions a merge changes.
const (
	recompileProposals  = 230
	recompileProvisions = 150
	recompileMerged     = 28
)

// recompileCase is a text and the open proposals on it, each changing one
// provision, before and after a merge.
type recompileCase struct {
	v1, v2             []drafts.Provision
	results1, results2 [][]drafts.Provision
}

// benchEdit makes a few word edits to s, the same for the same seed.
func benchEdit(s string, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed))
	ws := strings.Fields(s)
	for e := 1 + r.IntN(3); e > 0; e-- {
		k := 1 + r.IntN(len(ws)-1)
		if r.IntN(2) == 0 {
			ws[k] = "amended"
		} else {
			ws = slices.Insert(ws, k, "duly")
		}
	}
	return strings.Join(ws, " ")
}

// withText returns a copy of ps in which provision i has text.
func withText(ps []drafts.Provision, i int, text string) []drafts.Provision {
	out := slices.Clone(ps)
	out[i].Text = text
	return out
}

// newRecompileCase builds the proposals: proposal k changes provision
// k mod 150 of v1; the merge changes 28 provisions, and a proposal on one of
// them is rebased to an edit of its new text, the others keep their text.
func newRecompileCase(b *testing.B) *recompileCase {
	o, _ := gendoc.Pair(recompileProvisions, 3)
	t, err := drafts.ParseText(o, benchLimits)
	if err != nil {
		b.Fatal(err)
	}
	rc := &recompileCase{v1: t.Provisions}
	for i := range rc.v1 {
		rc.v1[i].ID = fmt.Sprintf("p%d", i+1)
	}
	rc.v2 = slices.Clone(rc.v1)
	merged := map[int]bool{}
	for _, i := range rand.New(rand.NewPCG(5, 5)).Perm(len(rc.v1))[:recompileMerged] {
		merged[i] = true
		rc.v2[i].Text = benchEdit(rc.v1[i].Text, uint64(1000+i))
	}
	for k := range recompileProposals {
		i := k % len(rc.v1)
		rc.results1 = append(rc.results1, withText(rc.v1, i, benchEdit(rc.v1[i].Text, uint64(k))))
		text := rc.results1[k][i].Text
		if merged[i] {
			text = benchEdit(rc.v2[i].Text, uint64(k))
		}
		rc.results2 = append(rc.results2, withText(rc.v2, i, text))
	}
	return rc
}

// recompile diffs every proposal's result against its version.
func recompile(b *testing.B, d *diffing.Differ, v []drafts.Provision, results [][]drafts.Provision) {
	for _, r := range results {
		if diff := d.Provisions(v, r); diff.Coarse {
			b.Fatal("coarse diff")
		}
	}
}

// BenchmarkRecompile mimics the service's recompilation after a merge: 230
// proposals, each changing one provision of a 150-provision text, are
// diffed against the version they were compiled on (untimed: the
// compilation before the merge), then against the new version, in which
// 28 provisions differ (timed). "fresh" uses a zero Differ, "memo" one made
// by New.
func BenchmarkRecompile(b *testing.B) {
	rc := newRecompileCase(b)
	for _, bc := range []struct {
		name string
		new  func() *diffing.Differ
	}{
		{"fresh", func() *diffing.Differ { return &diffing.Differ{} }},
		{"memo", diffing.New},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				d := bc.new()
				recompile(b, d, rc.v1, rc.results1)
				b.StartTimer()
				recompile(b, d, rc.v2, rc.results2)
			}
		})
	}
}
