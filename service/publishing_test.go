package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/render"
	"chancery/service"
)

// TestPrintsNeverCross: two documents with the same text, one members-only,
// get prints of their own of every kind (clean text, changes, compilation),
// under keys that name them; a document differing only in its title, or a
// version differing only in a status, or a replica printing another forum's
// name, never gets another's print from the cache.
func TestPrintsNeverCross(t *testing.T) {
	store := MustOpenLocal(t)
	newSvc := func(opts ...render.Option) *service.Service {
		svc := service.New(store, diffing.New(), MustPolicy(t))
		svc.Renderer = render.New(append([]render.Option{render.WithDeterministic(true)}, opts...)...)
		return svc
	}
	svc := newSvc()
	chair := drafts.NewContextWithUser(context.Background(), &matrixSubjects[1].user)
	kz := drafts.NewContextWithUser(context.Background(), &matrixSubjects[3].user)
	observer := drafts.NewContextWithUser(context.Background(), &matrixSubjects[5].user)
	const text = "1. The Parties agree.\n\n2. The Secretariat reports.\n"
	makeDoc := func(title, vis string) string {
		d, v, err := svc.CreateDocument(chair, &drafts.Document{Symbol: nextSymbol(), Title: title, Kind: "other", Body: "SWG", Visibility: vis}, text)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateVersion(chair, d.ID, 1, text+"\n3. New.\n", "m"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateProposal(kz, d.ID, drafts.ProposalInput{Base: 2, Operations: []drafts.Operation{{Op: "replace", Provision: v.Provisions[0].ID, Text: "The Parties agree fully."}}}); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	members := makeDoc("Title", drafts.VisibilityMembers)
	open := makeDoc("Title", drafts.VisibilityObservers)
	retitled := makeDoc("Another title", drafts.VisibilityObservers)

	kinds := map[string]func(ctx context.Context, svc *service.Service, doc string) (*drafts.PDF, error){
		"agreed": func(ctx context.Context, svc *service.Service, doc string) (*drafts.PDF, error) {
			return svc.VersionPDF(ctx, doc, 2, 0)
		},
		"changes": func(ctx context.Context, svc *service.Service, doc string) (*drafts.PDF, error) {
			return svc.VersionPDF(ctx, doc, 2, 1)
		},
		"compilation": func(ctx context.Context, svc *service.Service, doc string) (*drafts.PDF, error) {
			return svc.CompilationPDF(ctx, doc, 0)
		},
	}
	for kind, print := range kinds {
		t.Run(kind, func(t *testing.T) {
			a, err := print(kz, svc, members)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := print(observer, svc, members); !drafts.IsCode(err, drafts.ENOTFOUND) {
				t.Fatalf("observer printing the members-only document: %v, want ENOTFOUND", err)
			}
			b, err := print(observer, svc, open)
			if err != nil {
				t.Fatal(err)
			}
			c, err := print(kz, svc, retitled)
			if err != nil {
				t.Fatal(err)
			}
			// a and b may be the same bytes (visibility is not printed),
			// but under keys of their own: see the count below.
			if a.ETag == c.ETag || b.ETag == c.ETag {
				t.Errorf("a retitled document got another's print: %s %s %s", a.ETag, b.ETag, c.ETag)
			}
			if bytes.Equal(b.Data, c.Data) {
				t.Error("the print of a document with another title is the same")
			}
			again, err := print(kz, svc, members)
			if err != nil || again.ETag != a.ETag || !bytes.Equal(again.Data, a.Data) {
				t.Errorf("the second print was not the cached one (%v)", err)
			}
			// Another forum's replica on the same bucket prints its own.
			other, err := print(kz, newSvc(render.WithForum("Another Forum")), members)
			if err != nil {
				t.Fatal(err)
			}
			if other.ETag == a.ETag || bytes.Equal(other.Data, a.Data) {
				t.Error("a replica with another forum's name got the cached print of the first")
			}
		})
	}
	// Every cached print is filed under its own document.
	objs, _, err := store.List(context.Background(), "cache/", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, o := range objs {
		parts := strings.Split(o.Key, "/")
		if len(parts) != 4 || parts[1] != "pdf" {
			t.Fatalf("cache key %s does not name its document", o.Key)
		}
		per[parts[2]]++
	}
	if per[members] != 6 || per[open] != 3 || per[retitled] != 3 {
		t.Errorf("cached prints per document: %v", per)
	}
	// A status changes the clean text's print.
	v, err := svc.GetVersion(kz, open, 2)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := svc.VersionPDF(kz, open, 2, 0)
	if _, _, err := svc.SetProvisionStatus(chair, open, 2, v.Provisions[0].ID, drafts.ProvisionBracketed, ""); err != nil {
		t.Fatal(err)
	}
	after, err := svc.VersionPDF(kz, open, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if after.ETag == before.ETag {
		t.Error("a bracketed provision did not change the print")
	}
}
