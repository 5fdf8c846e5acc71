package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"chancery/drafts"
)

// storedDocument is a document as stored: with the version a request may
// be creating past its head, recorded before the create-only write of
// that version, so that a reader knows when to look for it.
type storedDocument struct {
	*drafts.Document
	Pending int `json:"pending,omitempty"`
	// Audit holds the entries of the document's own changes (its
	// creation): see audit.go.
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

// CreateDocument creates a document and its version 1 from text.
func (s *Service) CreateDocument(ctx context.Context, d *drafts.Document, text string) (_ *drafts.Document, _ *drafts.Version, err error) {
	defer markOp(&err, "service.CreateDocument")
	u, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	if d.Visibility == "" {
		d.Visibility = drafts.VisibilityMembers
	}
	if d.Language == "" {
		d.Language = "en"
	}
	// A chair may create documents of its own body only.
	if err := s.authorize(u, drafts.ActDocumentCreate, d.Resource()); err != nil {
		return nil, nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, nil, err
	}
	t, err := drafts.ParseText(text, s.TextLimits)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	d.ID = s.NewID()
	d.CreatedAt = now
	if err := s.claimSymbol(ctx, d); err != nil {
		return nil, nil, err
	}
	d.State = drafts.StateDrafting
	d.Head = 1
	d.CreatedAt, d.UpdatedAt, d.CreatedBy = now, now, u.ID
	d.Adopted, d.AdoptedAt, d.AdoptedBy, d.Agreement = 0, nil, "", nil
	for i := range t.Provisions {
		t.Provisions[i].ID = s.NewID()
	}
	stored := make([]drafts.Provision, len(t.Provisions))
	copy(stored, t.Provisions)
	v := &drafts.Version{
		Document: d.ID, Number: 1, Author: u.ID, Delegation: u.Delegation,
		Message: "Initial text", CreatedAt: now, Merged: []string{},
		Lead: t.Lead, Provisions: stored,
	}
	v.Hash = drafts.HashText(v.Text())
	if err := s.storeDocument(ctx, d, v, t.Provisions); err != nil {
		return nil, nil, err
	}
	return d, v, nil
}

// storeDocument stores version 1 of a new document, its summary, then the
// document (the commit point, create-only), each of the two that are
// changes with its audit entry, and commits them; before the document is
// stored a failure takes the others back, and the symbol's claim.
// provisions are v's with their statuses, as v is shown.
func (s *Service) storeDocument(ctx context.Context, d *drafts.Document, v *drafts.Version, provisions []drafts.Provision) error {
	tx, err := s.beginChange(ctx, d.ID)
	if err != nil {
		s.discard(ctx, symbolKey(d.Symbol))
		return err
	}
	vEntry := s.auditEntry(ctx, versionChange(1), "version.create", "1", v.Hash)
	if _, err := s.createJSON(ctx, versionKey(d.ID, 1), &storedVersion{Version: v, Audit: []drafts.AuditEntry{vEntry}}); err != nil {
		s.discard(ctx, symbolKey(d.Symbol))
		return err
	}
	for i := range provisions {
		provisions[i].Status = drafts.ProvisionPending
	}
	v.Provisions = provisions
	d.Audit = []drafts.AuditEntry{s.auditEntry(ctx, documentChange(d.ID), "document.create", d.Symbol, "")}
	etag, err := "", s.storeSummary(ctx, v)
	if err == nil {
		var size int
		sd := &storedDocument{Document: d, Audit: d.Audit}
		if etag, size, err = s.putJSON(ctx, documentKey(d.ID), sd, true, ""); err == nil {
			rememberListed(s, documentKey(d.ID), etag, cloneStoredDocument(sd), size)
		}
	}
	if err != nil {
		s.discard(ctx, summaryKey(d.ID, 1))
		s.discard(ctx, versionKey(d.ID, 1))
		s.discard(ctx, symbolKey(d.Symbol))
		return err
	}
	d.ETag = etag
	return s.commitChange(ctx, tx, d.Audit[0], vEntry)
}

// GetDocument returns a document with its current head and agreement share.
// ENOTFOUND if there is none.
func (s *Service) GetDocument(ctx context.Context, id string) (_ *drafts.Document, err error) {
	defer markOp(&err, "service.GetDocument")
	// Every page of a document shows it with its head's agreed share, so
	// the head (as this replica last saw it) is read, with its statuses,
	// while the document is: a round trip less for each page. It is
	// dropped unless the document is there for the caller and that is
	// still its head.
	var head func() (*drafts.Version, error)
	if n, ok := s.lastHeads.Load(id); ok {
		head = meanwhile(func() (*drafts.Version, error) { return s.headView(ctx, id, n.(int)) })
	}
	_, d, err := s.documentFor(ctx, id, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	return s.documentView(ctx, d, head)
}

// headView is version n of a document with its statuses, shared (read
// only): documentView only counts it.
func (s *Service) headView(ctx context.Context, doc string, n int) (*drafts.Version, error) {
	v, _, err := s.versionView(ctx, doc, n)
	return v, err
}

// documentView completes a loaded document for its readers: a silence
// procedure past its deadline settled, the agreed share of its head
// (read already if head, when not nil, gives the version d names).
func (s *Service) documentView(ctx context.Context, d *drafts.Document, read func() (*drafts.Version, error)) (*drafts.Document, error) {
	id := d.ID
	if d.State == drafts.StateAdoption && d.Round != "" {
		// A silence procedure past its deadline is adopted by whoever looks first.
		if r, err := s.settle(ctx, id, d.Round, d); err != nil {
			return nil, err
		} else if r.State != drafts.RoundOpen {
			if d, err = s.loadDocument(ctx, id); err != nil {
				return nil, err
			}
		}
	}
	var head *drafts.Version
	if read != nil {
		if v, err := read(); err == nil && v.Number == d.Head {
			head = v
		}
	}
	if head == nil {
		var err error
		if head, err = s.headView(ctx, id, d.Head); err != nil {
			return nil, err
		}
	}
	s.lastHeads.Store(id, d.Head)
	d.Agreement = s.agreementOf(head)
	var err error
	if d.LanguageStates, err = s.languageStates(ctx, d, head); err != nil {
		return nil, err
	}
	return d, nil
}

// pendingTimeout is how long a version recorded as pending may take to
// appear before readers forget it: far longer than any request runs.
const pendingTimeout = 10 * time.Minute

// loadDocument reads a document and settles its head. A version whose
// creation was not followed through (the request failed after the
// create-only write that made it) is completed now: its proposals settled
// and the document's head moved. Only a document that records a pending
// version costs more than its one read.
func (s *Service) loadDocument(ctx context.Context, id string) (*drafts.Document, error) {
	d, err := s.readDocument(ctx, id)
	if err != nil || d.Pending <= d.Head {
		return d, err
	}
	v, err := getImmutable(ctx, s, versionKey(id, d.Pending), cloneVersion)
	switch {
	case err == nil:
		return s.completeOthers(ctx, v, d)
	case !drafts.IsCode(err, drafts.ENOTFOUND):
		return nil, err
	case s.now().Sub(d.UpdatedAt) < pendingTimeout:
		return d, nil // still being made, most likely
	}
	// The request that meant to make it died before it did.
	return s.updateDocumentFrom(ctx, d, func(d *drafts.Document) error {
		if d.Pending <= d.Head || s.now().Sub(d.UpdatedAt) < pendingTimeout {
			return errUnchanged
		}
		d.Pending = 0
		return nil
	})
}

// readDocument reads a document as stored.
func (s *Service) readDocument(ctx context.Context, id string) (*drafts.Document, error) {
	if !drafts.ValidID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no document %q", id)
	}
	sd, etag, err := getMutable(ctx, s, documentKey(id), cloneStoredDocument)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no document %q", id)
		}
		return nil, err
	}
	d := sd.Document
	if d == nil { // "null" as stored
		return nil, drafts.Errorf(drafts.EINTERNAL, "stored object %s is damaged", documentKey(id))
	}
	d.ETag, d.Pending, d.Audit = etag, sd.Pending, sd.Audit
	return d, nil
}

// updateDocument applies f to the stored document and writes it back with
// its ETag, starting over when another request changed it meanwhile.
func (s *Service) updateDocument(ctx context.Context, id string, f func(d *drafts.Document) error) (*drafts.Document, error) {
	return s.rmwDocument(ctx, id, nil, f)
}

// updateDocumentFrom is updateDocument starting from first, the document
// as this request read it: no second read unless another request changed
// it meanwhile.
func (s *Service) updateDocumentFrom(ctx context.Context, first *drafts.Document, f func(d *drafts.Document) error) (*drafts.Document, error) {
	c := *first
	c.Agreement, c.LanguageStates = nil, nil // shown, not stored
	return s.rmwDocument(ctx, first.ID, &c, f)
}

func (s *Service) rmwDocument(ctx context.Context, id string, first *drafts.Document, f func(d *drafts.Document) error) (*drafts.Document, error) {
	var d *drafts.Document
	err := retry(func() error {
		var err error
		if first != nil {
			d, first = first, nil
		} else if d, err = s.readDocument(ctx, id); err != nil {
			return err
		}
		if err := f(d); err != nil {
			if errors.Is(err, errUnchanged) {
				return nil
			}
			return err
		}
		d.UpdatedAt = s.now()
		sd := &storedDocument{Document: d, Pending: d.Pending, Audit: d.Audit}
		etag, size, err := s.putJSON(ctx, documentKey(id), sd, false, d.ETag)
		if err == nil {
			d.ETag = etag
			rememberListed(s, documentKey(id), etag, cloneStoredDocument(sd), size)
			s.lastHeads.Store(id, d.Head) // the room reads it after a merge
		}
		return err
	})
	return d, err
}

// ListDocuments returns one page of documents that the user may see.
func (s *Service) ListDocuments(ctx context.Context, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Document], err error) {
	defer markOp(&err, "service.ListDocuments")
	u, err := s.directoryFor(ctx, drafts.ActDocumentList)
	if err != nil {
		return nil, err
	}
	page := &drafts.Page[*drafts.Document]{Items: []*drafts.Document{}}
	want := pageSize(opt)
	for {
		// Ask only for what is missing, so a page never exceeds the limit.
		o := opt
		o.Limit = want - len(page.Items)
		objs, next, err := s.listInfos(ctx, documentsPrefix, o)
		if err != nil {
			return nil, err
		}
		sds, _, err := readListed(ctx, s, objs, cloneStoredDocument)
		if err != nil {
			return nil, err
		}
		for _, sd := range sds {
			if sd == nil || sd.Document == nil {
				continue
			}
			if ok, err := s.canSee(u, sd.Document); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
			page.Items = append(page.Items, sd.Document)
		}
		page.NextCursor = next
		// Keep filling the page while invisible documents thinned it out.
		if next == "" || len(page.Items) >= want {
			return page, nil
		}
		opt.Cursor = next
	}
}

// checkChangeable refuses changes to an adopted or withdrawn document, and
// records the refused attempt in the audit trail.
func (s *Service) checkChangeable(ctx context.Context, d *drafts.Document) error {
	switch d.State {
	case drafts.StateAdopted:
		s.record(ctx, d.ID, "refused.adopted", fmt.Sprint(d.Adopted), "attempt to change an adopted text")
		return drafts.Errorf(drafts.ECONFLICT, "document %s is adopted (version %d); its text can no longer change", d.Symbol, d.Adopted)
	case drafts.StateWithdrawn:
		return drafts.Errorf(drafts.ECONFLICT, "document %s is withdrawn", d.Symbol)
	}
	return nil
}

// changeableDocument loads a document on which the user of ctx performs
// action and whose text may still change: not adopted or withdrawn, and,
// when frozen is true, with no adoption round open.
func (s *Service) changeableDocument(ctx context.Context, doc, action string, frozen bool) (*drafts.User, *drafts.Document, error) {
	u, d, err := s.documentFor(ctx, doc, action)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkChangeable(ctx, d); err != nil {
		return nil, nil, err
	}
	if frozen {
		if err := checkNotInAdoption(d); err != nil {
			return nil, nil, err
		}
	}
	return u, d, nil
}

// checkNotInAdoption refuses new versions while an adoption round is open
// on the head: the text under adoption must not move.
func checkNotInAdoption(d *drafts.Document) error {
	if d.State == drafts.StateAdoption {
		return drafts.Errorf(drafts.ECONFLICT, "an adoption round is open on version %d; it must end before the text changes", d.Head)
	}
	return nil
}
