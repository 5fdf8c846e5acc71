package service

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"chancery/drafts"
)

// A replica keeps, per document, the keys and ETags of its proposals (a
// proposalIndex), brought up to date from the document's audit trail
// rather than by listing every proposal again.
//
// Every stored change of a proposal has its event on the trail, appended
// after the change is stored and before it is acknowledged
// ("proposal/<id>" or "proposal/<id>/<rev>": verification checks that
// each stored change has one). So a replica that has applied the trail up
// to event seq knows every change acknowledged before it; what changed
// since is named by the objects after seq, and the trail ends where the
// next object is missing. A request that needs the open proposals reads
// that one missing object (shared with the requests asking at the same
// time, begun after each asked: freshReads), instead of listing the
// document's proposals: at a meeting, a listing of 300 proposals cost
// MinIO 13.5 ms of processor time and the server the decoding of its XML,
// some 15 times a round, and the listing grows with every proposal ever
// made; the read of a missing object costs 0.8 ms.
//
// The index starts from a listing made after reading the trail's hint
// (which is never ahead of the chain), and is listed again when it is
// relistEvery old: a change stored whose event failed (the request said
// so, and the event is written later) is then seen as a listing sees
// it. A replica's first request for a document's proposals is answered
// from a listing of its own (of the page asked for), and the index is
// made in the background once that request has answered: the hint's read
// before the listing, and the read of the trail's end after it, would
// have made a new replica's first page two round trips longer.
//
// The requests that change what they read (a merge's completion, the
// settling of sub-amendments, the adoption guard) still list: a
// proposal stored, its event not yet written, must be found by them.
type proposalIndex struct {
	// ready is set once the index is made; building while it is made in
	// the background.
	ready, building atomic.Bool

	mu    sync.Mutex // held while the index is brought up to date
	built bool
	at    time.Time // when its listing was made
	seq   int64     // every event up to seq is applied
	// infos are the proposals' keys and ETags, sorted by key; replaced,
	// never changed in place (callers share them).
	infos []drafts.ObjectInfo
	// revs is the revision (audit entries) each key's ETag holds, when
	// known: an event of an older revision (one recorded late) is then
	// not applied again.
	revs map[string]int

	// wrote is what this replica stored of each proposal: the revision
	// and its ETag, so that the event of its own write needs no read.
	wmu   sync.Mutex
	wrote map[string]proposalRev
}

// proposalRev is a revision of a stored proposal and its ETag.
type proposalRev struct {
	rev  int
	etag string
}

// relistEvery is how old an index gets before its proposals are listed
// again.
const relistEvery = time.Minute

// maxIndexes bounds the documents whose proposals a replica indexes.
const maxIndexes = 256

// proposalIndexes are the replica's indexes, by document.
type proposalIndexes struct {
	mu sync.Mutex
	m  map[string]*proposalIndex
}

// index returns doc's index, made empty if there is none.
func (s *Service) index(doc string) *proposalIndex {
	s.indexes.mu.Lock()
	defer s.indexes.mu.Unlock()
	x := s.indexes.m[doc]
	if x == nil {
		if s.indexes.m == nil || len(s.indexes.m) >= maxIndexes {
			s.indexes.m = map[string]*proposalIndex{} // rare: start again
		}
		x = &proposalIndex{wrote: map[string]proposalRev{}}
		s.indexes.m[doc] = x
	}
	return x
}

// indexing reports whether the service keeps proposal indexes: not when
// it keeps no cache (a replica that caches nothing lists every time).
func (s *Service) indexing() bool { return s.immutable().max > 0 }

// noteProposalWrite records that this replica stored p at key and etag.
func (s *Service) noteProposalWrite(key, etag string, p *drafts.Proposal) {
	if !s.indexing() || p.Document == "" {
		return
	}
	x := s.index(p.Document)
	x.wmu.Lock()
	defer x.wmu.Unlock()
	if w, ok := x.wrote[key]; !ok || w.rev <= len(p.Audit) {
		x.wrote[key] = proposalRev{rev: len(p.Audit), etag: etag}
	}
}

// proposalInfos returns the keys and ETags of every proposal of doc,
// sorted by key, as current as a listing begun now: shared, read only.
func (s *Service) proposalInfos(ctx context.Context, doc string) ([]drafts.ObjectInfo, error) {
	x := s.readyIndex(ctx, doc)
	if x == nil {
		return s.allInfos(ctx, proposalsPrefix(doc))
	}
	return s.refreshIndex(ctx, x, doc)
}

// readyIndex returns doc's index if it is made, nil if the caller must
// list: the service keeps no indexes, or this one is not made yet (it is
// then made in the background, once the request has answered: its own
// reads go first).
func (s *Service) readyIndex(ctx context.Context, doc string) *proposalIndex {
	if !s.indexing() {
		return nil
	}
	x := s.index(doc)
	if x.ready.Load() {
		return x
	}
	if x.building.CompareAndSwap(false, true) {
		bg := context.WithoutCancel(ctx)
		build := func() {
			s.afterAnswer(func() {
				defer x.building.Store(false)
				if _, err := s.refreshIndex(bg, x, doc); err != nil {
					s.Log.Warn("the proposals' index is not made yet", "document", doc, "err", err)
				}
			})
		}
		if ctx.Done() == nil {
			build() // a caller whose context never ends
		} else {
			context.AfterFunc(ctx, build)
		}
	}
	return nil
}

// refreshIndex brings x, doc's index, up to date with a read begun now,
// shared by the requests asking at the same time (freshReads).
func (s *Service) refreshIndex(ctx context.Context, x *proposalIndex, doc string) ([]drafts.ObjectInfo, error) {
	v, err := s.fresh.do(ctx, "proposal-index\x00"+doc, func(ctx context.Context) (any, error) {
		return x.refresh(ctx, s, doc)
	})
	if err != nil {
		return nil, err
	}
	return v.([]drafts.ObjectInfo), nil
}

// indexedProposals is proposalInfos in the background, as readProposals
// takes a listing.
func (s *Service) indexedProposals(ctx context.Context, doc string) <-chan keyPage {
	listed := make(chan keyPage, 1)
	go func() {
		objs, err := s.proposalInfos(ctx, doc)
		listed <- keyPage{objs: objs, err: err}
	}()
	return listed
}

// proposalPage is one page of proposalInfos, as listInfos pages a
// listing.
func (s *Service) proposalPage(ctx context.Context, doc string, opt drafts.ListOptions) ([]drafts.ObjectInfo, string, error) {
	prefix := proposalsPrefix(doc)
	x := s.readyIndex(ctx, doc)
	if x == nil {
		return s.listInfos(ctx, prefix, opt)
	}
	all, err := s.refreshIndex(ctx, x, doc)
	if err != nil {
		return nil, "", err
	}
	return pageOf(all, prefix, opt)
}

// pageOf is the page of all (every object under prefix, sorted by key)
// that listInfos would list: after opt's cursor, at most pageSize(opt),
// and the cursor of the next page ("" after the last).
func pageOf(all []drafts.ObjectInfo, prefix string, opt drafts.ListOptions) ([]drafts.ObjectInfo, string, error) {
	after, err := keyAfter(prefix, opt)
	if err != nil {
		return nil, "", err
	}
	from, _ := findKey(all, after)
	for from < len(all) && all[from].Key <= after {
		from++
	}
	end := min(from+pageSize(opt), len(all))
	next := ""
	if end < len(all) {
		next = cursorOf(all[end-1].Key[len(prefix):])
	}
	return slices.Clip(all[from:end]), next, nil
}

// refresh brings the index up to date and returns its infos.
func (x *proposalIndex) refresh(ctx context.Context, s *Service, doc string) ([]drafts.ObjectInfo, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.built || s.Clock().Sub(x.at) >= relistEvery {
		if err := x.build(ctx, s, doc); err != nil {
			return nil, err
		}
	}
	if err := x.follow(ctx, s, doc); err != nil {
		return nil, err
	}
	x.ready.Store(true)
	return x.infos, nil
}

// build lists the proposals, after reading the trail's hint: every event
// up to the hint's is then applied (its change was stored before it).
func (x *proposalIndex) build(ctx context.Context, s *Service, doc string) error {
	// Any hint this process read or wrote will do (an older one means
	// following the chain further); without one, the stored hint.
	h, _, known := s.hints.get(docTrail(doc))
	if !known {
		var err error
		if h, _, err = s.reader(docTrail(doc)).readHead(ctx); err != nil {
			return err
		}
	}
	at := s.Clock()
	objs, err := s.allInfos(ctx, proposalsPrefix(doc))
	if err != nil {
		return err
	}
	infos := sortedByKey(objs)
	x.infos, x.revs, x.seq, x.at, x.built = infos, map[string]int{}, h.Seq, at, true
	return nil
}

// follow applies the trail's objects after x.seq, to its end (tail).
func (x *proposalIndex) follow(ctx context.Context, s *Service, doc string) error {
	events, seq, err := s.reader(docTrail(doc)).tail(ctx, x.seq)
	if err != nil {
		return err
	}
	if err := x.apply(ctx, s, doc, events); err != nil {
		return err
	}
	x.seq = seq
	return nil
}

// apply brings the index's infos of the proposals events name up to
// date.
func (x *proposalIndex) apply(ctx context.Context, s *Service, doc string, events []*drafts.Event) error {
	latest := map[string]int{}
	var ids []string
	for _, e := range events {
		id, rev, ok := proposalOfChange(e.Change)
		if !ok {
			continue
		}
		if _, seen := latest[id]; !seen {
			ids = append(ids, id)
		}
		latest[id] = max(latest[id], rev)
	}
	if len(ids) == 0 {
		return nil
	}
	now := make([]*proposalNow, len(ids))
	err := s.inParallel(ctx, len(ids), func(ctx context.Context, i int) error {
		var err error
		now[i], err = x.current(ctx, s, doc, ids[i], latest[ids[i]])
		return err
	})
	if err != nil {
		return err
	}
	infos := slices.Clone(x.infos)
	for _, n := range now {
		if n == nil {
			continue
		}
		i, found := findKey(infos, n.key)
		switch {
		case n.gone && found:
			infos = slices.Delete(infos, i, i+1)
			delete(x.revs, n.key)
		case n.gone:
		case found:
			infos[i] = drafts.ObjectInfo{Key: n.key, ETag: n.etag}
			x.revs[n.key] = n.rev
		default:
			infos = slices.Insert(infos, i, drafts.ObjectInfo{Key: n.key, ETag: n.etag})
			x.revs[n.key] = n.rev
		}
	}
	x.infos = infos
	return nil
}

// proposalNow is where a proposal is stored now, at which ETag and
// revision, or that it is gone.
type proposalNow struct {
	key, etag string
	rev       int
	gone      bool
}

// current returns where proposal id is now, knowing it reached rev: nil
// when the index holds that already. What this replica wrote it knows;
// anything else it reads.
func (x *proposalIndex) current(ctx context.Context, s *Service, doc, id string, rev int) (*proposalNow, error) {
	key := proposalKey(doc, id)
	if legacy := legacyProposalKey(doc, id); x.holds(legacy) {
		key = legacy // a proposal never moves
	}
	if x.revs[key] >= rev {
		return nil, nil
	}
	x.wmu.Lock()
	w, ok := x.wrote[key]
	x.wmu.Unlock()
	if ok && w.rev >= rev {
		return &proposalNow{key: key, etag: w.etag, rev: w.rev}, nil
	}
	obj, err := s.getFresh(ctx, key)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return &proposalNow{key: key, gone: true}, nil
	}
	if err != nil {
		return nil, err
	}
	var sp storedProposal
	if err := json.Unmarshal(obj.Data, &sp); err != nil {
		return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", key)
	}
	p := sp.proposal()
	if p == nil {
		return nil, drafts.Errorf(drafts.EINTERNAL, "stored object %s is damaged", key)
	}
	rememberProposal(s, key, obj.ETag, p, len(obj.Data))
	return &proposalNow{key: key, etag: obj.ETag, rev: len(p.Audit)}, nil
}

// holds reports whether the index lists key.
func (x *proposalIndex) holds(key string) bool {
	_, found := findKey(x.infos, key)
	return found
}

// sortedByKey returns a copy of objs sorted by key (the stores list in
// that order; the indexes search it).
func sortedByKey(objs []drafts.ObjectInfo) []drafts.ObjectInfo {
	out := slices.Clone(objs)
	slices.SortFunc(out, func(a, b drafts.ObjectInfo) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// findKey returns where key is in infos (sorted by key), or where it
// would go, and whether it is there.
func findKey(infos []drafts.ObjectInfo, key string) (int, bool) {
	return slices.BinarySearchFunc(infos, key, func(o drafts.ObjectInfo, k string) int { return strings.Compare(o.Key, k) })
}
