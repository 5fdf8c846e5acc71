package drafts_test

import (
	"fmt"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestOperationsByID: the operations turn the base into the edited text,
// keep every kept provision's id and move only what left its order.
func TestOperationsByID(t *testing.T) {
	base := "1. A.\n\n2. B.\n\n3. C.\n\n4. D.\n"
	tests := []struct {
		name   string
		edited string // markup; "id:" before a provision gives its base id
		moves  int
	}{
		{"unchanged", "a:1. A.\n\nb:2. B.\n\nc:3. C.\n\nd:4. D.\n", 0},
		{"replace and renumber", "a:1. A2.\n\nc:2. C.\n\nd:3. D.\n", 0},
		{"inserts at start, middle and end", "N0.\n\na:1. A.\n\nN1.\n\nN2.\n\nb:2. B.\n\nc:3. C.\n\nd:4. D.\n\nN3.\n", 0},
		{"swap", "b:2. B.\n\na:1. A.\n\nc:3. C.\n\nd:4. D.\n", 1},
		{"last to first", "d:4. D.\n\na:1. A.\n\nb:2. B.\n\nc:3. C.\n", 1},
		{"reverse", "d:4. D.\n\nc:3. C.\n\nb:2. B.\n\na:1. A.\n", 3},
		{"move next to an insert", "a:1. A.\n\nN.\n\nc:3. C.\n\nb:2. B.\n\nd:4. D.\n", 1},
		{"all new", "X.\n\nY.\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parseWithIDs(t, base, "a", "b", "c", "d")
			var ids []string
			var parts []string
			for _, block := range strings.Split(strings.TrimSpace(tt.edited), "\n\n") {
				id, text, ok := strings.Cut(block, ":")
				if !ok || len(id) != 1 {
					id, text = "", block
				}
				ids, parts = append(ids, id), append(parts, text)
			}
			edited := parseWithIDs(t, strings.Join(parts, "\n\n")+"\n", ids...)
			ops := drafts.OperationsByID(b, edited)
			moves := 0
			for _, o := range ops {
				if o.Op == drafts.OpMove {
					moves++
				}
			}
			if moves != tt.moves {
				t.Errorf("%d moves, want %d: %+v", moves, tt.moves, ops)
			}
			n := 0
			out, err := drafts.ApplyOperations(b, ops, func() string { n++; return fmt.Sprint("new", n) }, drafts.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := drafts.PrintProvisions(out), strings.Join(parts, "\n\n")+"\n"; got != want {
				t.Errorf("got:\n%s\nwant:\n%s\nops %+v", got, want, ops)
			}
			for i, p := range out {
				if ids[i] != "" && p.ID != ids[i] {
					t.Errorf("provision %d has id %q, want %q", i+1, p.ID, ids[i])
				}
			}
		})
	}
}

func parseWithIDs(t *testing.T, s string, ids ...string) []drafts.Provision {
	t.Helper()
	tx, err := drafts.ParseText(s, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range tx.Provisions {
		tx.Provisions[i].ID = ids[i]
	}
	return tx.Provisions
}
