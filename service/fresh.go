package service

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"chancery/drafts"
)

// freshReads shares reads of records that change (a document, a version's
// statuses, a listing of proposals) between requests asking at the same
// time, without ever answering a request with a read that began before
// it asked: a caller never joins a read under way; it waits for the next
// one, which all callers arriving meanwhile share and which begins once
// the one under way ends. When the room opens a document after a merge,
// its 150 requests make a few reads of the document instead of 150, and
// each still sees every change made before it asked (a delegate sees the
// proposal it just submitted).
type freshReads struct {
	mu    sync.Mutex
	state map[string]*freshState
}

// freshState is a key's read under way and the next one, waiting for it.
type freshState struct {
	running, next *freshCall
}

type freshCall struct {
	done chan struct{}
	val  any
	err  error
	// callers is how many callers wait for it (under the group's lock).
	callers int
}

// do returns the result of a call of read for key that began after do
// was called. Callers of one call share its result: read only.
func (g *freshReads) do(ctx context.Context, key string, read func(ctx context.Context) (any, error)) (any, error) {
	for {
		val, err := g.once(ctx, key, read)
		// A call cut short by its leader's ended request is made again
		// for those whose requests go on.
		if err != nil && ctx.Err() == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			continue
		}
		return val, err
	}
}

func (g *freshReads) once(ctx context.Context, key string, read func(ctx context.Context) (any, error)) (any, error) {
	g.mu.Lock()
	if g.state == nil {
		g.state = map[string]*freshState{}
	}
	st := g.state[key]
	if st == nil {
		st = &freshState{}
		g.state[key] = st
	}
	switch {
	case st.next != nil:
		// Not begun yet: it begins after this caller asked.
		c := st.next
		c.callers++
		g.mu.Unlock()
		return waitFresh(ctx, c)
	case st.running == nil:
		c := &freshCall{done: make(chan struct{})}
		st.running = c
		g.mu.Unlock()
		g.lead(ctx, key, st, c, read)
		return c.val, c.err
	}
	// A read is under way: lead the next one, after it.
	c, prev := &freshCall{done: make(chan struct{}), callers: 1}, st.running
	st.next = c
	g.mu.Unlock()
	<-prev.done
	g.mu.Lock()
	st.next = nil
	st.running = c
	g.mu.Unlock()
	g.lead(ctx, key, st, c, read)
	return c.val, c.err
}

// lead makes call c, then lets its callers go.
func (g *freshReads) lead(ctx context.Context, key string, st *freshState, c *freshCall, read func(ctx context.Context) (any, error)) {
	defer func() {
		g.mu.Lock()
		if st.running == c {
			st.running = nil
		}
		if st.running == nil && st.next == nil && g.state[key] == st {
			delete(g.state, key)
		}
		g.mu.Unlock()
		close(c.done)
	}()
	c.val, c.err = read(ctx)
}

func waitFresh(ctx context.Context, c *freshCall) (any, error) {
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, ctx.Err(), "the request ended while it waited")
	}
}

// getFresh is s.Store.Get of a record that changes, shared with the
// requests asking for it at the same time (freshReads). The object
// returned is shared: read only.
func (s *Service) getFresh(ctx context.Context, key string) (*drafts.Object, error) {
	v, err := s.fresh.do(ctx, "get\x00"+key, func(ctx context.Context) (any, error) {
		return s.Store.Get(ctx, key)
	})
	if err != nil {
		return nil, err
	}
	return v.(*drafts.Object), nil
}

// listFresh is s.Store.List, shared with the requests listing the same
// page at the same time (freshReads). The infos returned are shared: read
// only.
func (s *Service) listFresh(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	type page struct {
		objs []drafts.ObjectInfo
		next string
	}
	key := "list\x00" + prefix + "\x00" + after + "\x00" + strconv.Itoa(limit)
	v, err := s.fresh.do(ctx, key, func(ctx context.Context) (any, error) {
		objs, next, err := s.Store.List(ctx, prefix, after, limit)
		return &page{objs, next}, err
	})
	if err != nil {
		return nil, "", err
	}
	p := v.(*page)
	return p.objs, p.next, nil
}
