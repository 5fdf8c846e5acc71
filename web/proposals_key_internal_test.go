package web

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestProposalsKeyInChunks: the key made a kilobyte at a time is the one
// of every id and ETag written to the hash one by one, whatever their
// number and length (across the chunks' bounds, and longer than one),
// and "" when one proposal has no ETag.
func TestProposalsKeyInChunks(t *testing.T) {
	oneByOne := func(ps []*drafts.Proposal) string {
		h := sha256.New()
		for _, p := range ps {
			h.Write([]byte(p.ID + "\x00" + p.ETag + "\x00"))
		}
		return strconv.Itoa(len(ps)) + "/" + hex.EncodeToString(h.Sum(nil)[:16])
	}
	var ps []*drafts.Proposal
	seen := map[string]bool{}
	for i := range 300 {
		id := "p" + strconv.Itoa(i)
		if i == 77 {
			id = strings.Repeat("x", 3000) // longer than a chunk
		}
		ps = append(ps, &drafts.Proposal{ID: id, ETag: `"` + strings.Repeat(strconv.Itoa(i%10), 32) + `"`})
		got, want := proposalsKey(ps), oneByOne(ps)
		if got != want {
			t.Fatalf("%d proposals: key %s, want %s", len(ps), got, want)
		}
		if seen[got] {
			t.Fatalf("%d proposals: the key of fewer", len(ps))
		}
		seen[got] = true
	}
	ps[150].ETag = ""
	if got := proposalsKey(ps); got != "" {
		t.Errorf("a proposal without ETag: key %q, want none", got)
	}
}
