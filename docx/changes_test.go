package docx_test

import (
	"bytes"
	"fmt"
	"testing"

	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
)

const changesOld = `# Cluster I. Institutional framework

1. The Member States agree on this road map.

2. The Secretariat supports the transformation.

3. All decisions shall be taken by full consensus.

(a) the purposes and principles;

(b) the organs.

4. Final provisions apply.
`

const changesNew = `# Cluster I. Institutional framework

1. The Member States agree on this road map and its annex.

3. All decisions shall be taken by consensus of the Member States.

2. The Secretariat supports the transformation.

(a) the purposes and principles;

(b) the organs and their powers;

(c) the budget.

New paragraph without number.

5. Final provisions apply.
`

// edited aligns the new text to the old, as the service does, with
// attribution to one delegation per change.
func changesFixture(t testing.TB) (*drafts.Version, *drafts.Version, *drafts.Diff) {
	t.Helper()
	from := version(t, 1, changesOld)
	to := version(t, 2, changesNew)
	d := diffing.New()
	match := d.Align(from.Provisions, to.Provisions)
	next := len(from.Provisions)
	for i := range to.Provisions {
		if j := match[i]; j >= 0 {
			to.Provisions[i].ID = from.Provisions[j].ID
		} else {
			next++
			to.Provisions[i].ID = fmt.Sprintf("p%d", next)
		}
	}
	diff := d.Provisions(from.Provisions, to.Provisions)
	for i := range diff.Changes {
		if diff.Changes[i].Kind != drafts.ChangeUnchanged {
			diff.Changes[i].Delegations = []string{[]string{"Kazakhstan", "India", "China"}[i%3]}
		}
	}
	return from, to, diff
}

// TestChangesRoundTrip: the tracked-changes export reads back as the old
// text (every change rejected) and the new one (every change accepted),
// and the operations derived from it make the new text from the old.
func TestChangesRoundTrip(t *testing.T) {
	from, to, diff := changesFixture(t)
	w := docx.New()
	var buf bytes.Buffer
	if err := w.ChangesWord(&buf, testDocument("en"), from, to, diff); err != nil {
		t.Fatal(err)
	}
	f, err := w.ReadWord(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !f.Tracked {
		t.Error("not tracked")
	}
	if got, want := f.OriginalText(), canonical(t, changesOld); got != want {
		t.Errorf("original:\n%s\nwant:\n%s", got, want)
	}
	if got, want := f.Text(), canonical(t, changesNew); got != want {
		t.Errorf("edited:\n%s\nwant:\n%s", got, want)
	}
	ops, err := f.Operations(from.Provisions, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	n := 100
	out, err := drafts.ApplyOperations(from.Provisions, ops, func() string { n++; return fmt.Sprint("n", n) }, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := drafts.PrintProvisions(out), canonical(t, changesNew); got != want {
		t.Errorf("operations give:\n%s\nwant:\n%s\nops: %+v", got, want, ops)
	}
	// Kept provisions keep their ids: exactly the diff's operations.
	count := func(ops []drafts.Operation) map[string]int {
		m := map[string]int{}
		for _, o := range ops {
			n := 1
			if o.Op == drafts.OpInsert { // one insert may carry several provisions
				ps, err := drafts.ParseProvisions(o.Text, drafts.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				n = len(ps)
			}
			m[o.Op] += n
		}
		return m
	}
	kinds, want := count(ops), count(diff.Operations())
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("operations %v, want %v (%+v)", kinds, want, ops)
	}
}
