package service

import (
	"context"
	"encoding/json"
	"slices"

	"chancery/drafts"
)

// A trail is a hash-chained, append-only list of events: a document's
// audit trail, or the directory's. Its events are stored in create-only
// objects keyed by the sequence number of their first event; an object
// holds one event, or a batch of consecutive events written together
// (storedEvents). A hint object names the last event (eventHead).
type trail struct {
	// doc is the document, "" for the directory's trail.
	doc    string
	prefix string
	head   string
}

func docTrail(doc string) trail {
	return trail{doc: doc, prefix: eventsPrefix(doc), head: eventHeadKey(doc)}
}

func directoryTrail() trail {
	return trail{prefix: directoryEventsPrefix, head: directoryEventHeadKey}
}

// key is the key of the object whose first event is seq.
func (t trail) key(seq int64) string { return t.prefix + eventName(seq) }

// name says which trail t is, for logs and errors.
func (t trail) name() string {
	if t.doc == "" {
		return "the directory"
	}
	return "document " + t.doc
}

// maxBatch is the most events one object holds. Readers that look for
// the object holding a given event list at most this many keys back.
const maxBatch = 256

// eventHead is a hint of the last event of a trail. The trail itself is
// the create-only chain of events; the hint saves a listing, and it is
// never ahead of the chain (it moves after the events are written).
type eventHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// storedEvents is one object of a trail: an event, stored as an Event
// always was, and the events written with it in one create-only write
// (More), each with its own sequence number, previous hash and hash.
type storedEvents struct {
	drafts.Event
	More []drafts.Event `json:"more,omitempty"`
}

// events returns the object's events, in order.
func (o *storedEvents) events() []*drafts.Event {
	out := make([]*drafts.Event, 0, 1+len(o.More))
	first := o.Event
	out = append(out, &first)
	for i := range o.More {
		e := o.More[i]
		out = append(out, &e)
	}
	return out
}

// last is the sequence number of the object's last event.
func (o *storedEvents) last() int64 {
	if n := len(o.More); n > 0 {
		return o.More[n-1].Seq
	}
	return o.Seq
}

func cloneStoredEvents(o *storedEvents) *storedEvents {
	c := clonePtr(o)
	c.More = slices.Clone(o.More)
	return c
}

// trailReader reads a trail's objects from a store: through the
// service's cache of immutable objects (the request paths), or straight
// from storage (verification and completion: drafts.Uncached, no cache).
type trailReader struct {
	s      *Service
	t      trail
	store  drafts.ObjectStore
	cached bool
}

// reader reads t through the caches.
func (s *Service) reader(t trail) *trailReader {
	return &trailReader{s: s, t: t, store: s.Store, cached: true}
}

// directReader reads t from storage, bypassing every cache.
func (s *Service) directReader(t trail) *trailReader {
	return &trailReader{s: s, t: t, store: drafts.Uncached(s.Store)}
}

// object reads the object at key, whose first event must be seq.
func (r *trailReader) object(ctx context.Context, key string) (*storedEvents, error) {
	if r.cached {
		return getImmutable(ctx, r.s, key, cloneStoredEvents)
	}
	obj, err := r.store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	var o storedEvents
	if err := json.Unmarshal(obj.Data, &o); err != nil {
		return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", key)
	}
	return &o, nil
}

// tail returns the events of the trail after seq (the last event of one
// of its objects) and the last event's number: its objects up to the
// first one missing, read after the caller began, so every change
// acknowledged before it is there. While delegates send proposals, an
// object is added about every round trip: read one at a time, a reader
// chased the trail's end for hundreds of milliseconds. So the next keys
// are read together, twice as many each time the chain goes past them
// (up to maxFollow): a key inside an object of several events reads as
// missing, and the chain (each object names its last event) steps over
// it. When nothing follows seq, this is one read.
func (r *trailReader) tail(ctx context.Context, seq int64) ([]*drafts.Event, int64, error) {
	var events []*drafts.Event
	for n := int64(1); ; n = min(2*n, maxFollow) {
		first := seq + 1
		keys := make([]string, n)
		for i := range keys {
			keys[i] = r.t.key(first + int64(i))
		}
		objs, err := r.objects(ctx, keys)
		if err != nil {
			return nil, 0, err
		}
		for seq+1-first < n {
			o := objs[seq+1-first]
			if o == nil {
				return events, seq, nil
			}
			if o.last() <= seq {
				return nil, 0, drafts.Errorf(drafts.EINTERNAL, "stored object %s is damaged: its events end before it begins", keys[seq+1-first])
			}
			events = append(events, o.events()...)
			seq = o.last()
		}
	}
}

// maxFollow is the most objects of a trail tail reads at once.
const maxFollow = 16

// known returns the object of the chain at key when this process holds it
// already (it wrote or read it: objects of the chain never change), for a
// reader that may use the cache.
func (r *trailReader) known(key string) (*storedEvents, bool) {
	if !r.cached {
		return nil, false
	}
	v, ok := r.s.immutable().get(key)
	if !ok {
		return nil, false
	}
	o, ok := v.(*storedEvents)
	if !ok {
		return nil, false
	}
	return cloneStoredEvents(o), true
}

// list lists up to limit objects of the trail after the object whose
// first event is after (0: from the start), and returns the first
// sequence number of each with its key.
func (r *trailReader) list(ctx context.Context, after int64, limit int) ([]int64, []string, bool, error) {
	from := ""
	if after > 0 {
		from = r.t.key(after)
	}
	list := r.store.List
	if r.cached {
		// Readers of the trail asking at once (the room reading what
		// happened since each one's last visit) share one listing.
		list = r.s.listFresh
	}
	objs, next, err := list(ctx, r.t.prefix, from, limit)
	if err != nil {
		return nil, nil, false, err
	}
	seqs := make([]int64, len(objs))
	keys := make([]string, len(objs))
	for i, o := range objs {
		if seqs[i], err = eventOfKey(o.Key, r.t.prefix); err != nil {
			return nil, nil, false, err
		}
		keys[i] = o.Key
	}
	return seqs, keys, next != "", nil
}

// holding returns the object that holds event seq although it starts
// before it (a batch), or nil if none does.
func (r *trailReader) holding(ctx context.Context, seq int64) (*storedEvents, error) {
	if seq <= 1 {
		return nil, nil
	}
	// Most often seq-1 ends a single event: one read of a cached object.
	o, err := r.object(ctx, r.t.key(seq-1))
	switch {
	case err == nil:
		if o.last() >= seq {
			return o, nil
		}
		return nil, nil
	case !drafts.IsCode(err, drafts.ENOTFOUND):
		return nil, err
	}
	// Inside a batch: it starts at most maxBatch events before.
	seqs, keys, _, err := r.list(ctx, max(0, seq-maxBatch), maxBatch)
	if err != nil {
		return nil, err
	}
	start := -1
	for i, first := range seqs {
		if first < seq {
			start = i
		}
	}
	if start < 0 {
		return nil, nil
	}
	if o, err = r.object(ctx, keys[start]); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, nil
		}
		return nil, err
	}
	if o.last() >= seq {
		return o, nil
	}
	return nil, nil
}

// event returns event seq, nil if there is none.
func (r *trailReader) event(ctx context.Context, seq int64) (*drafts.Event, error) {
	o, err := r.object(ctx, r.t.key(seq))
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		o, err = r.holding(ctx, seq)
	}
	if err != nil || o == nil {
		return nil, err
	}
	for _, e := range o.events() {
		if e.Seq == seq {
			return e, nil
		}
	}
	return nil, nil
}

// after returns up to limit events of the trail with sequence numbers
// greater than after, in order, and whether more may follow.
func (r *trailReader) after(ctx context.Context, after int64, limit int) ([]*drafts.Event, bool, error) {
	seqs, keys, more, err := r.list(ctx, after, limit)
	if err != nil {
		return nil, false, err
	}
	var out []*drafts.Event
	if after > 0 && (len(seqs) == 0 || seqs[0] != after+1) {
		// The next event may be inside a batch that starts before it.
		o, err := r.holding(ctx, after+1)
		if err != nil {
			return nil, false, err
		}
		if o != nil {
			for _, e := range o.events() {
				if e.Seq > after {
					out = append(out, e)
				}
			}
		}
	}
	objs, err := r.objects(ctx, keys)
	if err != nil {
		return nil, false, err
	}
	for _, o := range objs {
		if o != nil { // nil: removed since listed (verification says so)
			out = append(out, o.events()...)
		}
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, more, nil
}

// objects reads the objects at keys, several at a time; nil for one
// removed since it was listed.
func (r *trailReader) objects(ctx context.Context, keys []string) ([]*storedEvents, error) {
	out := make([]*storedEvents, len(keys))
	err := r.s.inParallel(ctx, len(keys), func(ctx context.Context, i int) error {
		o, err := r.object(ctx, keys[i])
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil
		}
		if err != nil {
			return err
		}
		out[i] = o
		return nil
	})
	return out, err
}

// readHead reads the trail's hint, and its ETag ("" when there is none).
func (r *trailReader) readHead(ctx context.Context) (eventHead, string, error) {
	var h eventHead
	obj, err := r.store.Get(ctx, r.t.head)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return h, "", nil
	}
	if err != nil {
		return h, "", err
	}
	if err := json.Unmarshal(obj.Data, &h); err != nil {
		return h, "", drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", r.t.head)
	}
	return h, obj.ETag, nil
}
