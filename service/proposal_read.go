package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// GetProposal returns a proposal. ENOTFOUND if there is none.
func (s *Service) GetProposal(ctx context.Context, doc, id string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.GetProposal")
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	p, err := s.proposalFor(ctx, u, d, id, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	return s.numberedOne(ctx, p)
}

// proposalFor reads a proposal of the visible document d on which u
// performs action, and checks the policy with it.
func (s *Service) proposalFor(ctx context.Context, u *drafts.User, d *drafts.Document, id, action string) (*drafts.Proposal, error) {
	p, err := s.readProposal(ctx, d.ID, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeProposal(u, d, p, action); err != nil {
		return nil, err
	}
	return p, nil
}

// authorizeProposal checks action on p, refusing in words that fit.
func (s *Service) authorizeProposal(u *drafts.User, d *drafts.Document, p *drafts.Proposal, action string) error {
	if action == drafts.ActDocumentRead {
		return nil // d is visible: so are its proposals
	}
	msg := ""
	switch action {
	case drafts.ActProposalWithdraw:
		msg = "only the delegation that made this proposal may edit or withdraw it"
	case drafts.ActProposalCosponsor:
		msg = "only another member delegation may co-sponsor this proposal"
	}
	if msg == "" {
		return s.authorize(u, action, p.Resource(d))
	}
	return s.authorizeSaying(u, action, p.Resource(d), msg)
}

// readProposal reads a proposal as stored; ref is its id or its number.
func (s *Service) readProposal(ctx context.Context, doc, ref string) (*drafts.Proposal, error) {
	if !drafts.ValidID(doc) || !drafts.ValidID(ref) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no proposal %q", ref)
	}
	id, err := s.proposalID(ctx, doc, ref)
	if err != nil {
		return nil, err
	}
	if id != ref {
		p, err := s.readProposalByID(ctx, doc, id)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			// A number whose proposal was never stored (its request failed).
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no proposal %s", ref)
		}
		return p, err
	}
	return s.readProposalByID(ctx, doc, id)
}

// readProposalByID reads a proposal as stored, by its id.
func (s *Service) readProposalByID(ctx context.Context, doc, id string) (*drafts.Proposal, error) {
	if !drafts.ValidID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no proposal %q", id)
	}
	var sp storedProposal
	key := proposalKey(doc, id)
	etag, err := s.getJSON(ctx, key, &sp)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		key = legacyProposalKey(doc, id)
		etag, err = s.getJSON(ctx, key, &sp)
	}
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no proposal %q", id)
		}
		return nil, err
	}
	p := sp.proposal()
	if p == nil {
		return nil, drafts.Errorf(drafts.EINTERNAL, "stored object %s is damaged", key)
	}
	p.ETag = etag
	return p, nil
}

// readProposals reads the proposals of doc that refs name (ids or
// numbers), in order; nil for one there is none of. A few are read one by
// one; more are taken from one listing of the document's proposals, which
// gives each one's ETag: those this replica has decoded at that ETag are
// not read again (readListed), so a merge of proposals made or read on
// this replica costs one listing instead of a read per proposal. The
// listing is as current as a read.
func (s *Service) readProposals(ctx context.Context, doc string, refs []string, listed <-chan keyPage) ([]*drafts.Proposal, error) {
	if listed == nil && len(refs) <= readOneByOne {
		return eachFound(ctx, s, refs, func(ctx context.Context, ref string) (*drafts.Proposal, error) {
			return s.readProposal(ctx, doc, ref)
		})
	}
	// The numbers' claims are immutable, read once per replica; the
	// listing runs beside them.
	if listed == nil {
		listed = s.listAllProposals(ctx, doc)
	}
	ids, err := eachFound(ctx, s, refs, func(ctx context.Context, ref string) (string, error) {
		return s.proposalID(ctx, doc, ref)
	})
	kp := <-listed
	if err == nil {
		err = kp.err
	}
	if err != nil {
		return nil, err
	}
	return s.readNamedProposals(ctx, doc, kp.objs, ids)
}

// eachFound returns f of each of refs, several at a time, in order; the
// zero value for one not found.
func eachFound[T any](ctx context.Context, s *Service, refs []string, f func(context.Context, string) (T, error)) ([]T, error) {
	out := make([]T, len(refs))
	err := s.inParallel(ctx, len(refs), func(ctx context.Context, i int) error {
		v, err := f(ctx, refs[i])
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil
		}
		out[i] = v
		return err
	})
	return out, err
}

// listAllProposals lists every proposal of doc in the background; the
// channel gives the listing (one keyPage) when it is done.
func (s *Service) listAllProposals(ctx context.Context, doc string) <-chan keyPage {
	listed := make(chan keyPage, 1)
	go func() {
		objs, err := s.allInfos(ctx, proposalsPrefix(doc))
		listed <- keyPage{objs: objs, err: err}
	}()
	return listed
}

// readOneByOne is how many proposals readProposals reads one by one
// rather than from a listing.
const readOneByOne = 2

// readNamedProposals reads the proposals with ids ("" for none) of those
// listed in objs, in order; nil for one not listed.
func (s *Service) readNamedProposals(ctx context.Context, doc string, objs []drafts.ObjectInfo, ids []string) ([]*drafts.Proposal, error) {
	prefix := proposalsPrefix(doc)
	at := map[string][]int{}
	for i, id := range ids {
		if id != "" {
			at[id] = append(at[id], i)
		}
	}
	var named []drafts.ObjectInfo
	var namedIDs []string
	for _, o := range objs {
		id, err := proposalOfKey(o.Key, prefix)
		if err != nil {
			return nil, err
		}
		if at[id] != nil {
			named, namedIDs = append(named, o), append(namedIDs, id)
		}
	}
	read, err := s.readListedProposals(ctx, prefix, named, nil)
	if err != nil {
		return nil, err
	}
	ps := make([]*drafts.Proposal, len(ids))
	for j, p := range read {
		// nil: gone since it was listed. The same proposal named twice
		// (by its id and its number) is one (mergeItems takes it once).
		for _, i := range at[namedIDs[j]] {
			ps[i] = p
		}
	}
	return ps, nil
}

// ListProposals returns one page of a document's proposals.
func (s *Service) ListProposals(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Proposal], err error) {
	defer markOp(&err, "service.ListProposals")
	if !drafts.ValidID(doc) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no document %q", doc)
	}
	switch f.Status {
	case "", drafts.ProposalOpen, drafts.ProposalAccepted, drafts.ProposalAcceptedModified, drafts.ProposalRejected, drafts.ProposalWithdrawn, drafts.ProposalObsolete:
	default:
		// A mistyped filter would otherwise list nothing, which reads as
		// "no proposals".
		return nil, &drafts.Error{Code: drafts.EINVALID,
			Message: fmt.Sprintf("status: no proposal status %q (open, accepted, accepted-modified, rejected, withdrawn or obsolete)", f.Status),
			Fields:  []drafts.FieldError{{Field: "status", Message: "unknown status"}}}
	}
	// The first listing runs while the document is read, and is dropped
	// unless the document is there for the caller.
	first := make(chan keyPage, 1)
	go func() {
		objs, next, err := s.proposalPage(ctx, doc, opt)
		first <- keyPage{objs, next, err}
	}()
	_, _, err = s.documentFor(ctx, doc, drafts.ActDocumentRead)
	kp := <-first
	if err != nil {
		return nil, err
	}
	page, err := s.listProposalsFrom(ctx, doc, f, opt, &kp)
	if err != nil {
		return nil, err
	}
	if page.Items, err = s.numbered(ctx, doc, page.Items); err != nil {
		return nil, err
	}
	return page, nil
}

// OpenProposals returns document doc's open proposals, numbered, in the
// order they were made, as a compilation reads them (openToCompile):
// shared with every caller until one of them changes, so read only.
// The document page lists them for the whole room; a copy of 230
// proposals for each reader was 8% of the server's time there.
func (s *Service) OpenProposals(ctx context.Context, doc string) (_ []*drafts.Proposal, err error) {
	defer markOp(&err, "service.OpenProposals")
	if !drafts.ValidID(doc) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no document %q", doc)
	}
	// The proposals' keys are read while the document is, and dropped
	// unless the document is there for the caller.
	listed := s.indexedProposals(ctx, doc)
	_, _, err = s.documentFor(ctx, doc, drafts.ActDocumentRead)
	infos := <-listed
	if err != nil {
		return nil, err
	}
	if infos.err != nil {
		return nil, infos.err
	}
	open, _, err := s.openInputs(ctx, doc, infos.objs)
	return open, err
}

// keyPage is one page of a listing.
type keyPage struct {
	objs []drafts.ObjectInfo
	next string
	err  error
}

// listProposals returns one page of a document's proposals.
func (s *Service) listProposals(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions) (*drafts.Page[*drafts.Proposal], error) {
	return s.listProposalsFrom(ctx, doc, f, opt, nil)
}

// listProposalsFrom is listProposals with its first listing done (if
// first is not nil).
func (s *Service) listProposalsFrom(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions, first *keyPage) (*drafts.Page[*drafts.Proposal], error) {
	return s.listProposalsKnown(ctx, doc, f, opt, first, nil, s.proposalPage)
}

// pager is one page of a document's proposals' keys: the proposal index
// (proposalPage), or a listing (listedProposals).
type pager func(ctx context.Context, doc string, opt drafts.ListOptions) ([]drafts.ObjectInfo, string, error)

// listedProposals is a page of a listing of doc's proposals, for the
// requests that change what they read (see proposalIndex).
func (s *Service) listedProposals(ctx context.Context, doc string, opt drafts.ListOptions) ([]drafts.ObjectInfo, string, error) {
	return s.listInfos(ctx, proposalsPrefix(doc), opt)
}

// listProposalsKnown is listProposalsFrom taking the proposals of known
// (read already by this request) as they are instead of reading them,
// and its pages of keys from pageOfKeys.
func (s *Service) listProposalsKnown(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions, first *keyPage, known map[string]*drafts.Proposal, pageOfKeys pager) (*drafts.Page[*drafts.Proposal], error) {
	page := &drafts.Page[*drafts.Proposal]{Items: []*drafts.Proposal{}}
	want := pageSize(opt)
	filtered := f.Status != "" || f.Delegation != ""
	prefix := proposalsPrefix(doc)
	for {
		if err := ctx.Err(); err != nil {
			return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "the request ended")
		}
		// Unfiltered, ask only for what is missing, so a page never exceeds
		// the limit. Filtered, read in batches whatever the limit: a page
		// of one withdrawn proposal among thousands costs one listing per
		// batch, not one per proposal; the next cursor is then the last
		// proposal read.
		o := opt
		o.Limit = want - len(page.Items)
		if filtered {
			o.Limit = 500
		}
		var kp keyPage
		if first != nil {
			kp, first = *first, nil
		} else {
			kp.objs, kp.next, kp.err = pageOfKeys(ctx, doc, o)
		}
		objs, next, err := kp.objs, kp.next, kp.err
		if err != nil {
			return nil, err
		}
		ps, err := s.readListedProposals(ctx, prefix, objs, known)
		if err != nil {
			return nil, err
		}
		for i, p := range ps {
			if p == nil {
				continue
			}
			if (f.Status == "" || p.Status == f.Status) && (f.Delegation == "" || p.Delegation == f.Delegation) {
				page.Items = append(page.Items, p)
				if len(page.Items) >= want && i < len(objs)-1 {
					page.NextCursor = cursorOf(objs[i].Key[len(prefix):])
					return page, nil
				}
			}
		}
		page.NextCursor = next
		if next == "" || len(page.Items) >= want {
			return page, nil
		}
		opt.Cursor = next
	}
}

// readListedProposals reads the proposals a listing under prefix
// returned, in order, taking those of known as they are; nil for one gone
// since it was listed.
func (s *Service) readListedProposals(ctx context.Context, prefix string, objs []drafts.ObjectInfo, known map[string]*drafts.Proposal) ([]*drafts.Proposal, error) {
	ps := make([]*drafts.Proposal, len(objs))
	var unknown []drafts.ObjectInfo
	var at []int
	for i, o := range objs {
		id, err := proposalOfKey(o.Key, prefix)
		if err != nil {
			return nil, err
		}
		if ps[i] = known[id]; ps[i] == nil {
			unknown, at = append(unknown, o), append(at, i)
		}
	}
	read, etags, err := readListed(ctx, s, unknown, cloneStoredProposal)
	if err != nil {
		return nil, err
	}
	for j, sp := range read {
		p := sp.proposal()
		if p != nil {
			p.ETag = etags[j]
		}
		ps[at[j]] = p
	}
	return ps, nil
}

// allProposals returns every proposal of a document.
func (s *Service) allProposals(ctx context.Context, doc string, f drafts.ProposalFilter) ([]*drafts.Proposal, error) {
	return s.allProposalsKnown(ctx, doc, f, nil)
}

// allProposalsKnown is allProposals taking the proposals of known as they
// are instead of reading them again.
func (s *Service) allProposalsKnown(ctx context.Context, doc string, f drafts.ProposalFilter, known map[string]*drafts.Proposal) ([]*drafts.Proposal, error) {
	var all []*drafts.Proposal
	opt := drafts.ListOptions{Limit: 500}
	for {
		page, err := s.listProposalsKnown(ctx, doc, f, opt, nil, known, s.listedProposals)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		opt.Cursor = page.NextCursor
	}
}

// openToCompile returns the open proposals among those objs lists (a
// document's proposals: proposalInfos) as a compilation reads
// them: shared with other readers (never change them), and without what
// no compilation reads, the whole edited text a delegation sent
// (Proposal.Text: the operations were made from it) and the audit
// entries. On a 2 MB text, a proposal sent as a whole text is mostly
// that text: the room asking for the compilation at once held a copy of
// each proposal's operations for every reader, and the proposals, too
// large together for the cache, were read and decoded again for each.
func (s *Service) openToCompile(ctx context.Context, objs []drafts.ObjectInfo) ([]*drafts.Proposal, error) {
	read, etags, err := readListedAs(ctx, s, objs, listedForm[proposalToCompile]{kind: toCompileKind,
		clone: cloneProposalToCompile,
		size: func(p *proposalToCompile, obj *drafts.Object) int {
			return len(obj.Data) - int(p.Text) - int(p.Audit)
		}})
	if err != nil {
		return nil, err
	}
	var open []*drafts.Proposal
	for j, r := range read {
		if r == nil || r.Proposal == nil || r.Status != drafts.ProposalOpen {
			continue
		}
		r.ETag = etags[j]
		open = append(open, r.Proposal)
	}
	return open, nil
}

// proposalToCompile is a stored proposal as a compilation reads it (see
// openToCompile): its text and audit entries are left undecoded.
type proposalToCompile struct {
	*drafts.Proposal
	Text  skipped `json:"text,omitempty"`
	Audit skipped `json:"audit,omitempty"`
}

// cloneProposalToCompile copies the proposal's fields, sharing its slices
// (read only).
func cloneProposalToCompile(p *proposalToCompile) *proposalToCompile {
	c := *p
	c.Proposal = clonePtr(p.Proposal)
	return &c
}

// rememberProposal keeps p, just stored at key at etag (size bytes), as
// the listings read it: whole, and as a compilation reads it
// (openToCompile), so that no reader reads again what this replica wrote
// (when the delegates propose while the room reads, each compilation
// read the new proposals again).
func rememberProposal(s *Service, key, etag string, p *drafts.Proposal, size int) {
	s.noteProposalWrite(key, etag, p)
	rememberListed(s, key, etag, cloneStoredProposal(storeProposal(p)), size)
	c := cloneProposal(p)
	c.Text, c.Audit = "", nil
	rememberListed(s, key+toCompileKind, etag, &proposalToCompile{Proposal: c}, max(size-len(p.Text), 256))
}

// toCompileKind names proposals as a compilation reads them in the cache.
const toCompileKind = "\x00to-compile"

// skipped is a JSON value left undecoded: its length in bytes.
type skipped int

func (n *skipped) UnmarshalJSON(b []byte) error {
	*n = skipped(len(b))
	return nil
}
