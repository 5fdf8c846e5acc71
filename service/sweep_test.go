package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// TestSweepDoesNotGrowWithDocuments: an idle silence sweep costs one
// listing whether there are 2 or 40 documents, and a due silence
// procedure is still adopted by it; one opened before markers existed is
// found by the first sweep of a process.
func TestSweepDoesNotGrowWithDocuments(t *testing.T) {
	for _, n := range []int{2, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			local := MustOpenLocal(t)
			store := newCountingStore(local)
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			svc := service.New(store, diffing.New(), MustPolicy(t))
			svc.Clock = func() time.Time { return now }
			chair := drafts.NewContextWithUser(context.Background(), &matrixSubjects[1].user)
			var docs []string
			for i := 0; i < n; i++ {
				d, _, err := svc.CreateDocument(chair, &drafts.Document{Symbol: fmt.Sprintf("S/%d", i), Title: "T", Kind: "other", Body: "SWG"}, "1. A.")
				if err != nil {
					t.Fatal(err)
				}
				docs = append(docs, d.ID)
			}
			deadline := now.Add(100 * time.Hour)
			if _, err := svc.OpenAdoption(chair, docs[0], drafts.AdoptionInput{Procedure: drafts.ProcedureSilence, Deadline: &deadline}); err != nil {
				t.Fatal(err)
			}
			later := deadline.Add(time.Hour)
			if _, err := svc.OpenAdoption(chair, docs[1], drafts.AdoptionInput{Procedure: drafts.ProcedureSilence, Deadline: &later}); err != nil {
				t.Fatal(err)
			}
			// As if opened before markers: the second round's marker is gone.
			objs, _, err := local.List(context.Background(), "rounds-due/", "", 10)
			if err != nil || len(objs) != 2 {
				t.Fatalf("markers: %v (%v)", objs, err)
			}
			if err := local.Delete(context.Background(), objs[1].Key, ""); err != nil {
				t.Fatal(err)
			}
			if err := svc.SettleDue(context.Background()); err != nil { // the first sweep looks at everything
				t.Fatal(err)
			}
			store.take()
			for i := 0; i < 3; i++ {
				if err := svc.SettleDue(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if ops := store.take(); total(ops) != 3 || ops["list"] != 3 {
				t.Errorf("three idle sweeps over %d documents made %v, want three listings", n, ops)
			}
			now = later.Add(time.Minute)
			if err := svc.SettleDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, doc := range docs[:2] {
				// As stored: a reader would settle it too.
				raw, err := local.Get(context.Background(), "documents/"+doc+".json")
				if err != nil {
					t.Fatal(err)
				}
				var d drafts.Document
				if err := json.Unmarshal(raw.Data, &d); err != nil {
					t.Fatal(err)
				}
				if d.State != drafts.StateAdopted || d.AdoptedBy != drafts.ProcedureSilence {
					t.Errorf("after its deadline the sweep left %s %s", doc, d.State)
				}
			}
			if objs, _, _ := local.List(context.Background(), "rounds-due/", "", 10); len(objs) != 0 {
				t.Errorf("markers left after adoption: %v", objs)
			}
		})
	}
}
