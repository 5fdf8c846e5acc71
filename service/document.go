package service

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"chancery/drafts"
)

// storedDocument is a document as stored: with the version a request may
// be creating past its head, recorded before the create-only write of
// that version, so that a reader knows when to look for it.
type storedDocument struct {
	*drafts.Document
	Pending int `json:"pending,omitempty"`
}

// provisionStatuses is the mutable status object of one version.
type provisionStatuses struct {
	Statuses map[string]string `json:"statuses"`
	// Rev counts the changes; Log holds each, so that each has its event.
	Rev int            `json:"rev,omitempty"`
	Log []statusChange `json:"log,omitempty"`
}

// statusChange is one change of a provision's status.
type statusChange struct {
	Rev        int       `json:"rev"`
	Provision  string    `json:"provision"`
	Status     string    `json:"status"`
	Actor      string    `json:"actor"`
	Delegation string    `json:"delegation,omitempty"`
	At         time.Time `json:"at"`
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
	if _, err := s.createJSON(ctx, versionKey(d.ID, 1), v); err != nil {
		s.discard(ctx, symbolKey(d.Symbol))
		return nil, nil, err
	}
	for i := range t.Provisions {
		t.Provisions[i].Status = drafts.ProvisionPending
	}
	v.Provisions = t.Provisions
	etag, err := "", s.storeSummary(ctx, v)
	if err == nil {
		var size int
		sd := &storedDocument{Document: d}
		if etag, size, err = s.putJSON(ctx, documentKey(d.ID), sd, true, ""); err == nil {
			rememberListed(s, documentKey(d.ID), etag, cloneStoredDocument(sd), size)
		}
	}
	if err != nil {
		s.discard(ctx, summaryKey(d.ID, 1))
		s.discard(ctx, versionKey(d.ID, 1))
		s.discard(ctx, symbolKey(d.Symbol))
		return nil, nil, err
	}
	d.ETag = etag
	s.record(ctx, d.ID, "document.create", d.Symbol, "")
	s.recordChange(ctx, d.ID, versionChange(1), "version.create", "1", v.Hash)
	return d, v, nil
}

// GetDocument returns a document with its current head and agreement share.
// ENOTFOUND if there is none.
func (s *Service) GetDocument(ctx context.Context, id string) (_ *drafts.Document, err error) {
	defer markOp(&err, "service.GetDocument")
	_, d, err := s.documentFor(ctx, id, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	return s.documentView(ctx, d)
}

// documentView completes a loaded document for its readers: a silence
// procedure past its deadline settled, the agreed share of its head.
func (s *Service) documentView(ctx context.Context, d *drafts.Document) (*drafts.Document, error) {
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
	if head, err := s.getVersion(ctx, id, d.Head); err == nil {
		d.Agreement = agreement(head)
	} else {
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
		nd, _, err := s.completeVersion(ctx, v, d, nil)
		return nd, err
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
	d.ETag, d.Pending = etag, sd.Pending
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
	c.Agreement = nil // shown, not stored
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
		sd := &storedDocument{Document: d, Pending: d.Pending}
		etag, size, err := s.putJSON(ctx, documentKey(id), sd, false, d.ETag)
		if err == nil {
			d.ETag = etag
			rememberListed(s, documentKey(id), etag, cloneStoredDocument(sd), size)
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

// GetVersion returns version n of a document with its provisions' statuses.
func (s *Service) GetVersion(ctx context.Context, doc string, n int) (_ *drafts.Version, err error) {
	defer markOp(&err, "service.GetVersion")
	// The version and its statuses are read while the document is, and
	// dropped unless the document is there for the caller.
	var v *drafts.Version
	var verr error = drafts.Errorf(drafts.ENOTFOUND, "no version %d of document %q", n, doc)
	done := make(chan struct{})
	if drafts.ValidID(doc) && n >= 1 {
		go func() {
			defer close(done)
			v, verr = s.getVersion(ctx, doc, n)
		}()
	} else {
		close(done)
	}
	_, _, err = s.documentFor(ctx, doc, drafts.ActDocumentRead)
	<-done
	if err != nil {
		return nil, err
	}
	return v, verr
}

// rawVersion reads version n as stored: the statuses it was made with.
func (s *Service) rawVersion(ctx context.Context, doc string, n int) (*drafts.Version, error) {
	if !drafts.ValidID(doc) || n < 1 {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no version %d of document %q", n, doc)
	}
	v, err := getImmutable(ctx, s, versionKey(doc, n), cloneVersion)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no version %d of document %q", n, doc)
		}
		return nil, err
	}
	return v, nil
}

// getVersion reads version n with its provisions' statuses.
func (s *Service) getVersion(ctx context.Context, doc string, n int) (*drafts.Version, error) {
	v, err := s.rawVersion(ctx, doc, n)
	if err != nil {
		return nil, err
	}
	st, stETag, err := s.statuses(ctx, doc, n)
	if err != nil {
		return nil, err
	}
	v.ETag = statusTag(v.Hash, stETag)
	for i := range v.Provisions {
		if v.Provisions[i].Status == "" {
			v.Provisions[i].Status = drafts.ProvisionPending // as stored: carried over when the version was made
		}
		if x, ok := st.Statuses[v.Provisions[i].ID]; ok {
			v.Provisions[i].Status = x
		}
	}
	return v, nil
}

// statusTag is a version's ETag: its text's hash and its statuses' ETag,
// since statuses change and the text does not.
func statusTag(hash, statusETag string) string {
	if statusETag == "" {
		return hash
	}
	return drafts.HashText(hash + ":" + statusETag)
}

func (s *Service) statuses(ctx context.Context, doc string, n int) (*provisionStatuses, string, error) {
	st, etag, err := getMutable(ctx, s, statusKey(doc, n), cloneProvisionStatuses)
	if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, "", err
	}
	if st == nil {
		st = &provisionStatuses{}
	}
	if st.Statuses == nil {
		st.Statuses = map[string]string{}
	}
	return st, etag, nil
}

// ListVersions returns one page of a document's versions, oldest first,
// without their provisions.
func (s *Service) ListVersions(ctx context.Context, doc string, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Version], err error) {
	defer markOp(&err, "service.ListVersions")
	if _, _, err := s.documentFor(ctx, doc, drafts.ActDocumentRead); err != nil {
		return nil, err
	}
	// Summaries, not the versions: a page of 50 versions of a long text
	// would otherwise read megabytes.
	keys, next, err := s.listKeys(ctx, summariesPrefix(doc), opt)
	if err != nil {
		return nil, err
	}
	page := &drafts.Page[*drafts.Version]{Items: []*drafts.Version{}, NextCursor: next}
	for _, k := range keys {
		v, err := getImmutable(ctx, s, k, cloneVersion)
		if err != nil {
			return nil, err
		}
		v.Provisions = []drafts.Provision{}
		page.Items = append(page.Items, v)
	}
	return page, nil
}

// storeSummary writes the version's summary (no text) for listings, once.
func (s *Service) storeSummary(ctx context.Context, v *drafts.Version) error {
	sum := *v
	sum.Provisions, sum.Lead, sum.Attribution, sum.Obsolete, sum.MergedETags = nil, "", nil, nil, nil
	if _, err := s.createJSON(ctx, summaryKey(v.Document, v.Number), &sum); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
		return err
	}
	return nil
}

// CreateVersion stores the chair's revised text as the new head. ECONFLICT
// if base is not the head (or another version was created meanwhile), or
// the document is adopted.
func (s *Service) CreateVersion(ctx context.Context, doc string, base int, text, message string) (_ *drafts.Version, err error) {
	defer markOp(&err, "service.CreateVersion")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActVersionCreate, true)
	if err != nil {
		return nil, err
	}
	if base != d.Head {
		return nil, drafts.Errorf(drafts.ECONFLICT, "base version %d is not the head (version %d); start again from the head", base, d.Head)
	}
	if err := drafts.CheckNote("message", message, 2000, false); err != nil {
		return nil, err
	}
	baseV, err := s.getVersion(ctx, doc, base)
	if err != nil {
		return nil, err
	}
	t, err := drafts.ParseText(text, s.TextLimits)
	if err != nil {
		return nil, err
	}
	s.alignIDs(baseV.Provisions, t.Provisions)
	v := &drafts.Version{
		Document: doc, Number: base + 1, Parent: base, Author: u.ID, Delegation: u.Delegation,
		Message: message, CreatedAt: s.now(), Merged: []string{}, Lead: t.Lead, Provisions: t.Provisions,
	}
	nd, err := s.storeVersion(ctx, d, baseV, v)
	if err != nil {
		return nil, err
	}
	s.recordChange(ctx, doc, versionChange(v.Number), "version.create", fmt.Sprint(v.Number), v.Hash)
	if _, _, err := s.completeVersion(ctx, v, nd, nil); err != nil {
		return nil, err
	}
	return v, nil
}

// alignIDs gives edited provisions the ids of the base provisions they
// continue, and new ids to new ones.
func (s *Service) alignIDs(base, edited []drafts.Provision) {
	match := s.Differ.Align(base, edited)
	used := map[string]bool{}
	for i := range edited {
		if j := match[i]; j >= 0 && j < len(base) && !used[base[j].ID] {
			edited[i].ID = base[j].ID
			used[base[j].ID] = true
		} else {
			edited[i].ID = s.NewID()
		}
	}
}

// storeVersion writes v (create-only, so of two concurrent writers of one
// number only one succeeds) with the provision statuses carried over from
// base for unchanged provisions. The document records v as pending first,
// so that readers know to look for it; the create-only write is the commit
// point: the caller then calls completeVersion, which is done again by the
// next reader of the document if the request fails on the way. It returns
// the document as it updated it.
func (s *Service) storeVersion(ctx context.Context, d *drafts.Document, base, v *drafts.Version) (*drafts.Document, error) {
	v.Hash = drafts.HashText(v.Text())
	old := map[string]drafts.Provision{}
	for _, p := range base.Provisions {
		old[p.ID] = p
	}
	stored := *v
	stored.Provisions = make([]drafts.Provision, len(v.Provisions))
	for i, p := range v.Provisions {
		status := drafts.ProvisionPending
		if o, ok := old[p.ID]; ok && o.Text == p.Text && o.Status != "" {
			status = o.Status
		}
		v.Provisions[i].Status = status
		p.Status = status
		if status == drafts.ProvisionPending {
			p.Status = ""
		}
		stored.Provisions[i] = p
	}
	nd, err := s.updateDocumentFrom(ctx, d, func(d *drafts.Document) error {
		if d.Head != base.Number || d.Pending > v.Number {
			return drafts.Errorf(drafts.ECONFLICT, "version %d was created meanwhile; start again from the head", d.Head)
		}
		if err := checkNotInAdoption(d); err != nil {
			return err
		}
		if d.State == drafts.StateAdopted || d.State == drafts.StateWithdrawn {
			return drafts.Errorf(drafts.ECONFLICT, "document %s is %s", d.Symbol, d.State)
		}
		d.Pending = v.Number
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.createJSON(ctx, versionKey(d.ID, v.Number), &stored); err != nil {
		if drafts.IsCode(err, drafts.ECONFLICT) {
			// Made by a request that did not complete it: complete it
			// now, so the next attempt starts from it.
			if other, err := getImmutable(ctx, s, versionKey(d.ID, v.Number), cloneVersion); err == nil {
				if _, _, err := s.completeVersion(ctx, other, nil, nil); err != nil {
					s.Log.Error("completing a version found in the way", "document", d.ID, "version", v.Number, "err", err)
				}
			}
			return nil, drafts.Errorf(drafts.ECONFLICT, "version %d was created meanwhile; start again from the head", v.Number)
		}
		return nil, err
	}
	return nd, nil
}

// completeVersion does what follows the creation of a version, so that it
// can be done again after a failure: the proposals it merged become
// accepted (or accepted-modified), those it made impossible obsolete, with
// open proposals on provisions it deleted; the document's head moves to it.
// Each step changes only what is not done yet. d, when not nil, is the
// document as this request last read or wrote it. It returns the document
// and the obsolete proposals with the reasons.
func (s *Service) completeVersion(ctx context.Context, v *drafts.Version, d *drafts.Document, known map[string]*drafts.Proposal) (*drafts.Document, map[string]string, error) {
	doc := v.Document
	if err := s.storeSummary(ctx, v); err != nil {
		return nil, nil, err
	}
	obsolete := map[string]string{}
	for id, why := range v.Obsolete {
		obsolete[id] = why
	}
	// The open proposals, read once: to find those the version makes
	// obsolete, and as the first attempt of settling the merged ones.
	openByID := map[string]*drafts.Proposal{}
	if open, err := s.allProposalsKnown(ctx, doc, drafts.ProposalFilter{Status: drafts.ProposalOpen}, known); err == nil {
		for _, p := range open {
			openByID[p.ID] = p
			if slices.Contains(v.Merged, p.ID) {
				continue
			}
			for _, id := range p.Touches() {
				if _, i := v.Provision(id); i < 0 {
					obsolete[p.ID] = fmt.Sprintf("provision %s was deleted by version %d", id, v.Number)
					break
				}
			}
		}
	} else {
		return nil, nil, err
	}
	settle := func(id, status, reason string) (*drafts.Event, error) {
		changed, action := false, ""
		_, err := s.rmwProposal(ctx, doc, id, openByID[id], nil, "", func(p *drafts.Proposal) error {
			if p.Status == drafts.ProposalWithdrawn && status != drafts.ProposalObsolete && p.MergedInto == 0 {
				// Withdrawn while the merge ran: it stays withdrawn, but says
				// that the version holds its text.
				changed, action = true, "proposal.merged-while-withdrawn"
				reason = fmt.Sprintf("withdrawn while being merged; version %d holds its text", v.Number)
				p.Reason, p.MergedInto = reason, v.Number
				return nil
			}
			if p.Status != drafts.ProposalOpen {
				return errUnchanged
			}
			changed = true
			if read, ok := v.MergedETags[id]; ok && read != p.ETag && status != drafts.ProposalObsolete {
				// Edited while the merge ran: the version holds it as it was read.
				status = drafts.ProposalAcceptedModified
				reason = fmt.Sprintf("edited while being merged; version %d holds the proposal as it was before the edit", v.Number)
			}
			p.Status, p.Reason, p.ClosedAt = status, reason, &v.CreatedAt
			if status != drafts.ProposalObsolete {
				p.MergedInto = v.Number
			}
			return nil
		})
		if err != nil || !changed {
			return nil, err
		}
		if action == "" {
			action = "proposal." + status
		}
		return &drafts.Event{Action: action, Ref: id, Detail: reason}, nil
	}
	// The proposals settle side by side (each is its own object); their
	// events are then appended in order, in one pass over the trail.
	type job struct{ id, status, reason string }
	var jobs []job
	for _, id := range v.Merged {
		status := drafts.ProposalAccepted
		if slices.Contains(v.AcceptedModified, id) {
			status = drafts.ProposalAcceptedModified
		}
		jobs = append(jobs, job{id, status, ""})
	}
	for _, id := range slices.Sorted(maps.Keys(obsolete)) {
		jobs = append(jobs, job{id, drafts.ProposalObsolete, obsolete[id]})
	}
	events := make([]*drafts.Event, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			events[i], errs[i] = settle(j.id, j.status, j.reason)
		}()
	}
	wg.Wait()
	var done []*drafts.Event
	for _, e := range events {
		if e != nil {
			done = append(done, e)
		}
	}
	s.recordAll(ctx, doc, done)
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	move := func(d *drafts.Document) error {
		changed := false
		if d.Head < v.Number {
			d.Head, changed = v.Number, true
		}
		if d.Pending != 0 && d.Pending <= d.Head {
			d.Pending, changed = 0, true
		}
		if d.State == drafts.StateDrafting {
			d.State, changed = drafts.StateNegotiation, true
		}
		if !changed {
			return errUnchanged
		}
		return nil
	}
	var err error
	if d != nil {
		d, err = s.updateDocumentFrom(ctx, d, move)
	} else {
		d, err = s.updateDocument(ctx, doc, move)
	}
	if err != nil {
		return nil, nil, err
	}
	return d, obsolete, nil
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

// SetProvisionStatus sets the status of one provision of version n.
//
// ifMatch, when not "", is the version's ETag as the client read it:
// EPRECONDITION if a status of the version changed since.
func (s *Service) SetProvisionStatus(ctx context.Context, doc string, n int, id, status, ifMatch string) (_ *drafts.Provision, _ string, err error) {
	defer markOp(&err, "service.SetProvisionStatus")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActStatusSet, false)
	if err != nil {
		return nil, "", err
	}
	if !drafts.ValidProvisionStatus(status) {
		return nil, "", &drafts.Error{Code: drafts.EINVALID, Message: `status must be "pending", "bracketed", "agreed-ad-ref" or "agreed"`,
			Fields: []drafts.FieldError{{Field: "status", Message: "unknown status"}}}
	}
	v, err := s.rawVersion(ctx, doc, n) // its statuses are read below
	if err != nil {
		return nil, "", err
	}
	if n != d.Head {
		// A superseded version is a record: its statuses stay as they were.
		return nil, "", drafts.Errorf(drafts.ECONFLICT, "version %d is superseded by version %d; only the statuses of the head version can change", n, d.Head)
	}
	p, i := v.Provision(id)
	if i < 0 {
		return nil, "", drafts.Errorf(drafts.ENOTFOUND, "no provision %q in version %d", id, n)
	}
	newETag, rev := "", 0
	err = retry(func() error {
		st, etag, err := s.statuses(ctx, doc, n)
		if err != nil {
			return err
		}
		if ifMatch != "" && ifMatch != statusTag(v.Hash, etag) {
			return &drafts.Error{Code: drafts.EPRECONDITION, Message: "the version's statuses changed since they were read", Err: errClientPrecondition}
		}
		st.Statuses[id] = status
		st.Rev++
		rev = st.Rev
		st.Log = append(st.Log, statusChange{Rev: st.Rev, Provision: id, Status: status, Actor: u.ID, Delegation: u.Delegation, At: s.now()})
		if etag == "" {
			newETag, err = s.createJSON(ctx, statusKey(doc, n), st)
			if drafts.IsCode(err, drafts.ECONFLICT) {
				return drafts.Errorf(drafts.EPRECONDITION, "status changed meanwhile")
			}
			return err
		}
		newETag, err = s.updateJSON(ctx, statusKey(doc, n), st, etag)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	p.Status = status
	s.recordChange(ctx, doc, statusChangeOf(n, rev), "provision.status", statusRef(n, id), status)
	return &p, statusTag(v.Hash, newETag), nil
}

// agreement counts the agreed share of a version.
func agreement(v *drafts.Version) *drafts.Agreement {
	a := &drafts.Agreement{}
	for _, p := range v.Provisions {
		words := len(strings.Fields(p.Text))
		a.Provisions++
		a.Words += words
		if p.Status == drafts.ProvisionAgreed || p.Status == drafts.ProvisionAgreedAdRef {
			a.AgreedProvisions++
			a.AgreedWords += words
		}
	}
	if a.Provisions > 0 {
		a.CleanShare = float64(a.AgreedProvisions) / float64(a.Provisions)
	}
	if a.Words > 0 {
		a.CleanShareWords = float64(a.AgreedWords) / float64(a.Words)
	}
	return a
}
