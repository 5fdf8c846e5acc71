package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
	"chancery/storage"
)

// generatedText returns a text of n numbered provisions of about 500 bytes.
func generatedText(n int) string {
	var b strings.Builder
	words := strings.Fields("the member states shall cooperate in the field of confidence building measures and report annually to the senior officials committee on the implementation of the catalogue in their priority areas taking into account the decisions of the summits")
	for i := 1; i <= n; i++ {
		if i%10 == 1 {
			fmt.Fprintf(&b, "# Cluster %d\n\n", i/10+1)
		}
		fmt.Fprintf(&b, "%d.", i)
		for w := 0; w < 70; w++ {
			fmt.Fprintf(&b, " %s", words[(i*7+w)%len(words)])
		}
		b.WriteString(".\n\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// mergeFixture is a 300-provision document with 28 open proposals, one per
// member delegation, each changing 5 provisions; some collide.
type mergeFixture struct {
	svc       *service.Service
	chair     context.Context
	doc       string
	proposals []string
	// resolutions settle the collisions.
	resolutions map[string]string
}

func newMergeFixture(tb testing.TB) *mergeFixture {
	tb.Helper()
	store, err := storage.OpenLocal(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	return newMergeFixtureOn(tb, store)
}

// newMergeFixtureOn is newMergeFixture on store.
func newMergeFixtureOn(tb testing.TB, store drafts.ObjectStore) *mergeFixture {
	tb.Helper()
	svc := service.New(store, diffing.New(), MustPolicy(tb))
	chair := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"})
	d, v, err := svc.CreateDocument(chair, &drafts.Document{Symbol: "B/1", Title: "Bench", Kind: "other", Body: "SWG", Language: "en", Visibility: "members"}, generatedText(300))
	if err != nil {
		tb.Fatal(err)
	}
	f := &mergeFixture{svc: svc, chair: chair, doc: d.ID, resolutions: map[string]string{}}
	tb.Cleanup(func() { svc.Drain(); f.svc.Drain() }) // hints moved after merges answered
	paras := []drafts.Provision{}
	for _, p := range v.Provisions {
		if p.Kind == drafts.KindParagraph {
			paras = append(paras, p)
		}
	}
	for k := 0; k < 28; k++ {
		del := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: fmt.Sprintf("u%d", k), Role: drafts.RoleDelegate, Delegation: fmt.Sprintf("D%02d", k), DelegationStatus: drafts.StatusMember})
		var ops []drafts.Operation
		for j := 0; j < 5; j++ {
			// Delegations 0-3 all touch the first words of provision 0: collisions.
			p := paras[(k*5+j)%len(paras)]
			if k < 4 && j == 0 {
				p = paras[0]
			}
			words := strings.Fields(p.Text)
			words[1] = fmt.Sprintf("delegation%d", k)
			ops = append(ops, drafts.Operation{Op: drafts.OpReplace, Provision: p.ID, Text: strings.Join(words, " ")})
		}
		pr, err := svc.CreateProposal(del, d.ID, drafts.ProposalInput{Base: 1, Justification: "bench", Operations: ops})
		if err != nil {
			tb.Fatal(err)
		}
		f.proposals = append(f.proposals, pr.ID)
	}
	f.resolutions[paras[0].ID] = "A compromise text."
	return f
}

// BenchmarkMerge28Proposals merges 28 proposals (5 provisions each, four
// colliding on one provision, resolved) onto a 300-provision head. Each
// iteration merges onto a fresh document, set up outside the timer.
func BenchmarkMerge28Proposals(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newMergeFixture(b)
		b.StartTimer()
		res, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: f.proposals, Resolutions: f.resolutions, Message: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Version.Merged) != 28 {
			b.Fatalf("merged %d", len(res.Version.Merged))
		}
	}
}

// BenchmarkMerge28ProposalsCollisions measures the refused merge: the 409
// with its collisions, which changes nothing, so one fixture serves all.
func BenchmarkMerge28ProposalsCollisions(b *testing.B) {
	f := newMergeFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: f.proposals})
		if e := drafts.AsError(err); e == nil || len(e.Collisions) != 1 {
			b.Fatalf("err = %v", err)
		}
	}
}

func TestMergeFixture(t *testing.T) {
	f := newMergeFixture(t)
	_, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: f.proposals})
	e := drafts.AsError(err)
	if e == nil || len(e.Collisions) != 1 || len(e.Collisions[0].Proposals) != 4 {
		t.Fatalf("err = %v", err)
	}
	res, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: f.proposals, Resolutions: f.resolutions})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(res.Version.Merged), 28; got != want {
		t.Fatalf("merged %d, want %d", got, want)
	}
	if got, want := len(res.Modified), 4; got != want {
		t.Fatalf("accepted-modified %d, want %d", got, want)
	}
}

// BenchmarkVersionDiffAttribution measures the tracked diff from version 1
// to version 3 of the merge fixture: 28 merged proposals with a
// compromise (version 2), then a chair's revision of 30 provisions
// (version 3), every changed word followed through both steps to its
// author.
func BenchmarkVersionDiffAttribution(b *testing.B) {
	f := newMergeFixture(b)
	res, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: f.proposals, Resolutions: f.resolutions, Message: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	text := res.Version.Text()
	for i := 1; i <= 300; i += 10 {
		text = strings.Replace(text, fmt.Sprintf("\n%d. the", i), fmt.Sprintf("\n%d. revised the", i), 1)
	}
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 2, text, "revision"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, _, _, err := f.svc.VersionDiff(f.chair, f.doc, 3, 1)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			chair := 0
			for _, c := range d.Changes {
				for _, del := range c.Delegations {
					if del == "Chair (SWG)" {
						chair++
					}
				}
			}
			if chair < 2 {
				b.Fatalf("%d changes credited to the chair", chair)
			}
		}
	}
}

// BenchmarkCompileUnchanged is a reader's compilation of the head when
// nothing changed since the last (the room after a merge): 228 open
// proposals of 28 delegations on a 300-provision text, compiled once
// before.
func BenchmarkCompileUnchanged(b *testing.B) {
	f := newMergeFixtureOn(b, MustOpenLocal(b))
	v, err := f.svc.GetVersion(f.chair, f.doc, 1)
	if err != nil {
		b.Fatal(err)
	}
	for k := 0; k < 200; k++ {
		p := v.Provisions[k%len(v.Provisions)]
		del := delegate(fmt.Sprintf("v%d", k), fmt.Sprintf("D%02d", k%28))
		if _, err := f.svc.CreateProposal(del, f.doc, drafts.ProposalInput{Base: 1, Justification: "bench",
			Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p.ID, Text: p.Text + fmt.Sprintf(" Bench %d.", k)}}}); err != nil {
			b.Fatal(err)
		}
	}
	if _, _, err := f.svc.Compile(f.chair, f.doc, 1); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := f.svc.Compile(f.chair, f.doc, 1); err != nil {
			b.Fatal(err)
		}
	}
}
