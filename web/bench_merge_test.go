package web_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"chancery/drafts"
)

// BenchmarkFirstViewAfterMerge measures the first view of each of the
// room's pages by a delegate after the chair merges 28 proposals (a
// 300-provision text, 200 open proposals, 28 new ones after each merge):
// what the first reader computes and the rest of the room waits for. The
// merge and the new proposals are not timed.
func BenchmarkFirstViewAfterMerge(b *testing.B) {
	for _, page := range []string{"compilation", "document", "diff"} {
		b.Run(page, func(b *testing.B) {
			f := newBigFixture(b)
			chair, delegate := f.e.as("chair"), f.e.as("KZ")
			made := 200
			for b.Loop() {
				b.StopTimer()
				n := f.mergeOldest(b, chair, 28)
				f.propose(b, delegate, n, made, 28)
				made += 28
				path := "/documents/" + f.doc
				switch page {
				case "compilation":
					path += "/compilation"
				case "diff":
					path += "/versions/" + strconv.Itoa(n) + "/diff"
				}
				b.StartTimer()
				f.getAs(b, f.delegate, path)
			}
		})
	}
}

// mergeOldest has the chair merge the n oldest open proposals onto the
// head, and returns the new version's number.
func (f *bigFixture) mergeOldest(tb testing.TB, chair context.Context, n int) int {
	tb.Helper()
	open, err := f.e.svc.ListProposals(chair, f.doc, drafts.ProposalFilter{Status: "open"}, drafts.ListOptions{Limit: 500})
	if err != nil {
		tb.Fatal(err)
	}
	d, err := f.e.svc.GetDocument(chair, f.doc)
	if err != nil {
		tb.Fatal(err)
	}
	items := open.Items
	slices.SortFunc(items, func(a, b *drafts.Proposal) int { return a.Number - b.Number })
	var ids []string
	for _, p := range items[:min(n, len(items))] {
		ids = append(ids, p.ID)
	}
	res, err := f.e.svc.Merge(chair, f.doc, drafts.MergeInput{Base: d.Head, Proposals: ids})
	if err != nil {
		tb.Fatal(err)
	}
	return res.Version.Number
}

// propose makes n proposals on version base, the from-th and after as
// newBigFixture numbers them (each on a paragraph of its own).
func (f *bigFixture) propose(tb testing.TB, who context.Context, base, from, n int) {
	tb.Helper()
	v, err := f.e.svc.GetVersion(who, f.doc, base)
	if err != nil {
		tb.Fatal(err)
	}
	proposeBig(tb, f.e, f.doc, v, []context.Context{who}, from, n)
}
