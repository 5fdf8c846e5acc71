package diffing_test

import (
	"fmt"
	"strconv"
	"testing"

	"chancery/bench/diff/gendoc"
	"chancery/diffing"
	"chancery/drafts"
)

// benchLimits admit the largest benchmark texts.
var benchLimits = drafts.Limits{MaxBytes: 256 << 20, MaxProvisions: 1 << 20}

// benchPair parses a generated pair of texts: old with ids, new without.
func benchPair(b *testing.B, n int) (old, new []drafts.Provision) {
	b.Helper()
	o, e := gendoc.Pair(n, 1)
	old, new = parsePair(b, o, e)
	b.SetBytes(int64(len(o) + len(e)))
	return old, new
}

// parsePair parses texts o and e, and gives o's provisions ids.
func parsePair(b *testing.B, o, e string) (old, new []drafts.Provision) {
	b.Helper()
	ot, err := drafts.ParseText(o, benchLimits)
	if err != nil {
		b.Fatal(err)
	}
	et, err := drafts.ParseText(e, benchLimits)
	if err != nil {
		b.Fatal(err)
	}
	for i := range ot.Provisions {
		ot.Provisions[i].ID = "p" + strconv.Itoa(i+1)
	}
	return ot.Provisions, et.Provisions
}

// benchDiff aligns new to old, gives it ids and diffs the provisions: what
// `chancery diff` does once the texts are parsed, with a new Differ each
// time, as the command has, so that every word diff is a first one.
func benchDiff(b *testing.B, n int) {
	old, new := benchPair(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d := diffing.New()
		match := d.Align(old, new)
		for i, j := range match {
			if j >= 0 {
				new[i].ID = old[j].ID
			} else {
				new[i].ID = fmt.Sprintf("n%d", i+1)
			}
		}
		diff := d.Provisions(old, new)
		if diff.Coarse {
			b.Fatal("coarse diff")
		}
	}
}

// BenchmarkProvisions150KB aligns and diffs a 300-provision text of about
// 150 KB with a tenth of its provisions edited word by word.
func BenchmarkProvisions150KB(b *testing.B) { benchDiff(b, 300) }

// BenchmarkProvisions150KBCold does what `chancery diff` does on the
// 150 KB pair, parsing included: it parses both texts, aligns them with a
// zero Differ (no memo), gives the provisions ids and diffs them.
func BenchmarkProvisions150KBCold(b *testing.B) {
	o, e := gendoc.Pair(300, 1)
	b.SetBytes(int64(len(o) + len(e)))
	b.ReportAllocs()
	for b.Loop() {
		old, new := parsePair(b, o, e)
		d := &diffing.Differ{}
		next := len(old)
		for i, j := range d.Align(old, new) {
			if j >= 0 {
				new[i].ID = old[j].ID
			} else {
				next++
				new[i].ID = "p" + strconv.Itoa(next)
			}
		}
		if d.Provisions(old, new).Coarse {
			b.Fatal("coarse diff")
		}
	}
}

// BenchmarkProvisions5MB does what BenchmarkProvisions150KB does, for a
// 10,000-provision text of about 5 MB.
func BenchmarkProvisions5MB(b *testing.B) { benchDiff(b, 10000) }

// BenchmarkAlign5MB aligns the 5 MB pair only.
func BenchmarkAlign5MB(b *testing.B) {
	old, new := benchPair(b, 10000)
	d := diffing.New()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d.Align(old, new)
	}
}

// BenchmarkParse5MB parses the 5 MB pair, for comparison (drafts.ParseText).
func BenchmarkParse5MB(b *testing.B) {
	o, e := gendoc.Pair(10000, 1)
	b.SetBytes(int64(len(o) + len(e)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := drafts.ParseText(o, benchLimits); err != nil {
			b.Fatal(err)
		}
		if _, err := drafts.ParseText(e, benchLimits); err != nil {
			b.Fatal(err)
		}
	}
}

const (
	benchWordsOld = "The Member States, guided by the principles of sovereign equality, non-interference in internal affairs and consensus, agree on the following Road Map for the gradual, structured and result-oriented transformation of the Conference into a full-fledged international organization."
	benchWordsNew = "The Member States, guided by the principles of the sovereign equality of States, non-interference in internal affairs and consensus, agree on this Road Map for the gradual, structured and result-oriented transformation of the Conference into a full-fledged international organisation."
)

// BenchmarkWords diffs one paragraph with a few word edits, with a new
// Differ each time: a first diff of the pair.
func BenchmarkWords(b *testing.B) {
	b.SetBytes(int64(len(benchWordsOld) + len(benchWordsNew)))
	b.ReportAllocs()
	for b.Loop() {
		diffing.New().Words(benchWordsOld, benchWordsNew)
	}
}

// BenchmarkWordsAgain diffs the same paragraph again and again with one
// Differ: a pair diffed before.
func BenchmarkWordsAgain(b *testing.B) {
	d := diffing.New()
	b.SetBytes(int64(len(benchWordsOld) + len(benchWordsNew)))
	b.ReportAllocs()
	for b.Loop() {
		d.Words(benchWordsOld, benchWordsNew)
	}
}
