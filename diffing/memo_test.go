package diffing_test

import (
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	fixtures "chancery/internal/corpus"

	"chancery/diffing"
	"chancery/drafts"
)

// memoPairs returns pairs of texts to diff: the paragraphs of the corpus
// texts (English and Russian), each against random word edits of it.
func memoPairs(tb testing.TB) [][2]string {
	tb.Helper()
	texts := corpus(tb)
	r := rand.New(rand.NewPCG(11, 11))
	var pairs [][2]string
	seen := map[[2]string]bool{}
	langs := map[bool]int{}
	for _, name := range fixtures.Names() {
		for _, para := range strings.Split(texts[name], "\n\n") {
			p := [2]string{para, editWords(r, para, 1+r.IntN(4))}
			if strings.TrimSpace(para) != "" && p[1] != para && !seen[p] {
				seen[p] = true
				pairs = append(pairs, p)
				langs[strings.HasSuffix(name, ".ru.txt")]++
			}
		}
	}
	if langs[true] < 10 || langs[false] < 10 {
		tb.Fatalf("pairs in Russian and others: %v; the corpus is missing", langs)
	}
	return pairs
}

// memoEdited returns the sample draft and a copy with every third
// provision edited.
func memoEdited(tb testing.TB) (old, new []drafts.Provision) {
	old = MustParse(tb, fixtures.Must(tb, "sample-draft-road-map.txt"))
	new = slices.Clone(old)
	r := rand.New(rand.NewPCG(13, 13))
	for i := 0; i < len(new); i += 3 {
		new[i].Text = editWords(r, new[i].Text, 2)
	}
	return old, new
}

// TestMemoSameAsFresh diffs the corpus pairs twice with a Differ that
// remembers them and checks every diff against a Differ that does not.
func TestMemoSameAsFresh(t *testing.T) {
	pairs := memoPairs(t)
	// Pairs that one string of the two texts, or a part of each, would
	// confuse.
	const para = "The Member States agree to meet annually in Astana to review the Road Map."
	pairs = append(pairs,
		[2]string{"shall be taken", " by consensus"}, [2]string{"shall be", " taken by consensus"},
		[2]string{para, para + " Later."}, [2]string{para, para + " Again."},
		[2]string{"Annually. " + para, para}, [2]string{"Biannual. " + para, para})
	d, fresh := diffing.New(), &diffing.Differ{}
	for round := range 2 {
		for i, p := range pairs {
			got, gc := d.Words(p[0], p[1])
			want, wc := fresh.Words(p[0], p[1])
			if gc || wc {
				t.Fatalf("pair %d: coarse", i)
			}
			if !slices.Equal(got, want) {
				t.Errorf("round %d, pair %d:\nmemo  %s\nfresh %s", round, i, render(got), render(want))
			}
		}
	}
	if _, _, hits := diffing.MemoStats(d); hits != len(pairs) {
		t.Errorf("%d lookups answered, want %d", hits, len(pairs))
	}

	// A copy with WholeWords shares the memo but not its diffs.
	const a, b = "an international organisation.", "an international organization."
	d.Words(a, b)
	whole := *d
	whole.WholeWords = true
	segs, _ := whole.Words(a, b)
	if got, want := render(segs), "an international [-organisation-]{+organization+}."; got != want {
		t.Errorf("WholeWords after a diff of the pair without: %s, want %s", got, want)
	}
}

// TestMemoProvisionsAndMerges checks diffs of provisions and merges
// repeated with a memo against a Differ without one.
func TestMemoProvisionsAndMerges(t *testing.T) {
	d, fresh := diffing.New(), &diffing.Differ{}
	old, new := memoEdited(t)
	want := fresh.Provisions(old, new)
	for round := range 2 {
		if got := d.Provisions(old, new); !reflect.DeepEqual(got, want) {
			t.Errorf("round %d: Provisions differ:\nmemo  %s\nfresh %s", round, summary(got), summary(want))
		}
	}
	r := rand.New(rand.NewPCG(17, 17))
	merges := 0
	for i, p := range memoPairs(t)[:60] {
		theirs := editWords(r, p[0], 2)
		wm, wok := fresh.Merge3(p[0], p[1], theirs)
		for round := range 2 {
			if m, ok := d.Merge3(p[0], p[1], theirs); m != wm || ok != wok {
				t.Errorf("round %d, merge %d: memo (%q, %v), fresh (%q, %v)", round, i, m, ok, wm, wok)
			}
		}
		if theirs != p[0] && theirs != p[1] {
			merges++
		}
	}
	words := 0
	for _, c := range want.Changes {
		if c.Modified {
			words++
		}
	}
	if _, _, hits := diffing.MemoStats(d); hits != words+merges {
		t.Errorf("%d lookups answered, want %d word diffs and %d merges", hits, words, merges)
	}
}

// TestMemoKeepsNoCoarse checks that a diff or merge coarse for lack of
// tokens or time is not given again to a call that has them.
func TestMemoKeepsNoCoarse(t *testing.T) {
	const (
		old    = "The Member States agree to meet annually in Astana to review the Road Map."
		ours   = "The Member Countries agree to meet annually in Astana to review the Road Plan."
		theirs = "The Member States agree to meet biennially in Astana to review the Road Map."
	)
	fresh := &diffing.Differ{}
	d := diffing.New()
	d.MaxTokens = 3
	if _, coarse := d.Words(old, ours); !coarse {
		t.Fatal("Words with 3 tokens is not coarse")
	}
	if _, ok := d.Merge3(old, ours, theirs); ok {
		t.Fatal("Merge3 with 3 tokens merges")
	}
	if _, entries, _ := diffing.MemoStats(d); entries != 0 {
		t.Errorf("%d entries kept after coarse results", entries)
	}
	d.MaxTokens = 0
	segs, coarse := d.Words(old, ours)
	if want, _ := fresh.Words(old, ours); coarse || !slices.Equal(segs, want) {
		t.Errorf("with tokens: %s (coarse %v), want %s", render(segs), coarse, render(want))
	}
	merged, ok := d.Merge3(old, ours, theirs)
	if want, _ := fresh.Merge3(old, ours, theirs); !ok || merged != want {
		t.Errorf("with tokens: Merge3 = (%q, %v), want %q", merged, ok, want)
	}

	long1, long2 := scramble(2000, 1), scramble(2000, 2)
	d.DiffTimeout = time.Nanosecond
	if _, coarse := d.Words(long1, long2); !coarse {
		t.Fatal("Words with 1ns is not coarse")
	}
	d.DiffTimeout = time.Minute
	segs, coarse = d.Words(long1, long2)
	if want, _ := (&diffing.Differ{DiffTimeout: time.Minute}).Words(long1, long2); coarse || !slices.Equal(segs, want) {
		t.Errorf("with a minute: coarse %v, %d segments, want %d", coarse, len(segs), len(want))
	}
}

// spoil changes every segment of segs, as a caller marking them may.
func spoil(segs []drafts.Segment) {
	for i := range segs {
		segs[i].Text += "!"
		segs[i].Delegation, segs[i].Proposal = "KZ", "p1"
	}
}

// TestMemoSegmentsAreTheCallers changes the segments of each diff and
// checks that the next diff of the pair is as if they were untouched.
func TestMemoSegmentsAreTheCallers(t *testing.T) {
	const old, new = "All decisions shall be taken by consensus.", "All decisions must be taken by consensus."
	d, fresh := diffing.New(), &diffing.Differ{}
	want, _ := fresh.Words(old, new)
	for round := range 3 {
		segs, _ := d.Words(old, new)
		if !slices.Equal(segs, want) {
			t.Errorf("round %d: %s, want %s", round, render(segs), render(want))
		}
		spoil(segs)
	}
	po, pn := memoEdited(t)
	wantDiff := fresh.Provisions(po, pn)
	for round := range 3 {
		diff := d.Provisions(po, pn)
		if !reflect.DeepEqual(diff, wantDiff) {
			t.Errorf("round %d: Provisions\n%s\nwant\n%s", round, summary(diff), summary(wantDiff))
		}
		for _, c := range diff.Changes {
			spoil(c.Segments)
		}
	}
}

// TestMemoConcurrent diffs and merges overlapping pairs from several
// goroutines with one small memo, whose generations turn over meanwhile
// (run with -race).
func TestMemoConcurrent(t *testing.T) {
	pairs := memoPairs(t)
	fresh := &diffing.Differ{}
	r := rand.New(rand.NewPCG(19, 19))
	want := make([][]drafts.Segment, len(pairs))
	theirs, merged := make([]string, len(pairs)), make([]string, len(pairs))
	for i, p := range pairs {
		want[i], _ = fresh.Words(p[0], p[1])
		theirs[i] = editWords(r, p[0], 2)
		merged[i], _ = fresh.Merge3(p[0], p[1], theirs[i])
	}
	d := diffing.NewWithMemo(64 << 10)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range 2 * len(pairs) {
				i := (k*7 + g*13) % len(pairs)
				p := pairs[i]
				segs, _ := d.Words(p[0], p[1])
				if !slices.Equal(segs, want[i]) {
					t.Errorf("goroutine %d, pair %d: %s, want %s", g, i, render(segs), render(want[i]))
					return
				}
				spoil(segs)
				if m, _ := d.Merge3(p[0], p[1], theirs[i]); m != merged[i] {
					t.Errorf("goroutine %d, merge %d: %q, want %q", g, i, m, merged[i])
					return
				}
			}
		})
	}
	wg.Wait()
	if _, _, hits := diffing.MemoStats(d); hits == 0 {
		t.Error("no lookup answered")
	}
}

// TestMemoBound diffs many distinct pairs, far more than the memo's bound,
// and checks that the memo counts no more than its bound and that the
// heap it keeps, once the diffs are dropped, does not pass it either: what
// the heap frees when the Differ goes. (Measured from before the first
// diff instead, the heap took in, or not, 37 KB the process makes once at
// a moment of its own, which put one run in six under -race over the
// bound.)
func TestMemoBound(t *testing.T) {
	const bound = 256 << 10
	d := diffing.NewWithMemo(bound)
	r := rand.New(rand.NewPCG(3, 3))
	diffed := 0
	for i := range 1000 {
		old := scramble(400, uint64(i))
		new := editWords(r, old, 3)
		if _, coarse := d.Words(old, new); coarse {
			t.Fatalf("pair %d: coarse", i)
		}
		diffed += len(old) + len(new)
		if bytes, _, _ := diffing.MemoStats(d); bytes > bound {
			t.Fatalf("after %d pairs the memo counts %d bytes, bound %d", i+1, bytes, bound)
		}
	}
	if _, entries, _ := diffing.MemoStats(d); entries == 0 {
		t.Error("the memo kept nothing")
	}
	var with, without runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(d)
	d = nil
	runtime.GC()
	runtime.ReadMemStats(&without)
	kept := int64(with.HeapAlloc) - int64(without.HeapAlloc)
	t.Logf("heap kept %d bytes after %d bytes diffed", kept, diffed)
	if kept > bound {
		t.Errorf("the heap kept %d bytes more after %d bytes diffed; bound %d", kept, diffed, bound)
	}
}
