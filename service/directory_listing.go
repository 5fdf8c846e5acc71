package service

import (
	"context"
	"sync"
	"time"

	"chancery/drafts"
)

// directoryListing is a listing of a folder of the directory (the
// delegations), kept while the directory's trail has nothing after seq:
// every change of the directory has its event there, written after the
// change and before it is acknowledged, so a trail that has not moved
// means a listing that has not either. The directory changes rarely in
// a meeting; the compilation, made again after every proposal, had listed
// the delegations each time for their names.
//
// The listing is made once the trail's end is found (reading from the
// hint to the missing object after the last): every change whose event
// is up to there was stored before the listing began. A listing a minute
// old is made again, for a change stored whose event failed.
type directoryListing struct {
	mu    sync.Mutex
	built bool
	at    time.Time
	seq   int64
	objs  []drafts.ObjectInfo
}

// directoryListings are the replica's directory listings, by prefix.
type directoryListings struct {
	mu sync.Mutex
	m  map[string]*directoryListing
}

// directoryInfos lists every object under prefix, a folder of the
// directory, as current as a listing begun now: shared, read only.
func (s *Service) directoryInfos(ctx context.Context, prefix string) ([]drafts.ObjectInfo, error) {
	if !s.indexing() {
		return s.allInfos(ctx, prefix)
	}
	s.listings.mu.Lock()
	if s.listings.m == nil {
		s.listings.m = map[string]*directoryListing{}
	}
	x := s.listings.m[prefix]
	if x == nil {
		x = &directoryListing{}
		s.listings.m[prefix] = x
	}
	s.listings.mu.Unlock()
	v, err := s.fresh.do(ctx, "directory-listing\x00"+prefix, func(ctx context.Context) (any, error) {
		return x.current(ctx, s, prefix)
	})
	if err != nil {
		return nil, err
	}
	return v.([]drafts.ObjectInfo), nil
}

// directoryPage is one page of the objects under prefix, a folder of the
// directory, as listInfos pages a listing. The delegations, which every
// page reads for their names, come from a directoryListing; the users
// and tokens are listed (recovery discards what a failed request left of
// them, without an event).
func (s *Service) directoryPage(ctx context.Context, prefix string, opt drafts.ListOptions) ([]drafts.ObjectInfo, string, error) {
	if prefix != delegationsPrefix || !s.indexing() {
		return s.listInfos(ctx, prefix, opt)
	}
	all, err := s.directoryInfos(ctx, prefix)
	if err != nil {
		return nil, "", err
	}
	return pageOf(all, prefix, opt)
}

// current returns the listing, made again if the trail moved since.
func (x *directoryListing) current(ctx context.Context, s *Service, prefix string) ([]drafts.ObjectInfo, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	r := s.reader(directoryTrail())
	if x.built && s.Clock().Sub(x.at) < relistEvery {
		_, end, err := r.tail(ctx, x.seq)
		if err != nil {
			return nil, err
		}
		if end == x.seq {
			return x.objs, nil
		}
	}
	x.built = false
	h, _, err := r.readHead(ctx)
	if err != nil {
		return nil, err
	}
	_, end, err := r.tail(ctx, h.Seq)
	if err != nil {
		return nil, err
	}
	at := s.Clock()
	objs, err := s.allInfos(ctx, prefix)
	if err != nil {
		return nil, err
	}
	objs = sortedByKey(objs)
	x.objs, x.seq, x.at, x.built = objs, end, at, true
	return objs, nil
}
