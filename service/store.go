package service

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"chancery/drafts"
)

// pageSize is how many items a page of opt holds: 50 unless asked, at
// most 500.
func pageSize(o drafts.ListOptions) int {
	switch {
	case o.Limit <= 0:
		return 50
	case o.Limit > 500:
		return 500
	}
	return o.Limit
}

// getJSON reads the object at key into v and returns its ETag.
func (s *Service) getJSON(ctx context.Context, key string, v any) (string, error) {
	obj, err := s.Store.Get(ctx, key)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(obj.Data, v); err != nil {
		return "", drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", key)
	}
	return obj.ETag, nil
}

// createJSON stores v at key, create-only.
func (s *Service) createJSON(ctx context.Context, key string, v any) (string, error) {
	etag, _, err := s.putJSON(ctx, key, v, true, "")
	return etag, err
}

// updateJSON stores v at key if it is still at etag.
func (s *Service) updateJSON(ctx context.Context, key string, v any, etag string) (string, error) {
	etag, _, err := s.putJSON(ctx, key, v, false, etag)
	return etag, err
}

// putJSON stores v at key, create-only or if the object is still at
// ifMatch, and returns the new ETag and the size stored.
func (s *Service) putJSON(ctx context.Context, key string, v any, create bool, ifMatch string) (etag string, size int, err error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", 0, drafts.WrapError(drafts.EINTERNAL, err, "encoding %s", key)
	}
	forgetRead(ctx, key)
	if create {
		etag, err = s.Store.Create(ctx, key, data)
	} else {
		etag, err = s.Store.Update(ctx, key, data, ifMatch)
	}
	s.noteUncertain(key, err)
	return etag, len(data), err
}

// listKeys lists the keys under prefix, one page.
func (s *Service) listKeys(ctx context.Context, prefix string, opt drafts.ListOptions) ([]string, string, error) {
	objs, next, err := s.listInfos(ctx, prefix, opt)
	if err != nil {
		return nil, "", err
	}
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.Key
	}
	return keys, next, nil
}

// listInfos is listKeys returning what the listing says of each object
// (its ETag above all, see readListed).
func (s *Service) listInfos(ctx context.Context, prefix string, opt drafts.ListOptions) ([]drafts.ObjectInfo, string, error) {
	after, err := keyAfter(prefix, opt)
	if err != nil {
		return nil, "", err
	}
	objs, next, err := s.listFresh(ctx, prefix, after, pageSize(opt))
	if err != nil {
		return nil, "", err
	}
	if next != "" {
		next = cursorOf(next[len(prefix):])
	}
	return objs, next, nil
}

// keyAfter is the key under prefix a page with opt's cursor starts
// after ("" for the first page).
func keyAfter(prefix string, opt drafts.ListOptions) (string, error) {
	if opt.Cursor == "" {
		return "", nil
	}
	suffix, err := keyOfCursor(opt.Cursor)
	if err != nil {
		return "", err
	}
	return prefix + suffix, nil
}

// cursorOf makes the opaque cursor a client sends back for the page after
// the key suffix k: clients never see storage keys, not even their ends.
func cursorOf(k string) string { return base64.RawURLEncoding.EncodeToString([]byte(k)) }

// keyOfCursor is the key suffix of a cursor cursorOf made; anything else is
// EMALFORMED.
func keyOfCursor(c string) (string, error) {
	k, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(c) > 200 || len(k) == 0 || strings.HasPrefix(string(k), "/") || strings.Contains(string(k), "..") || !utf8.Valid(k) {
		return "", &drafts.Error{Code: drafts.EMALFORMED, Message: "cursor: not a cursor this server gave",
			Fields: []drafts.FieldError{{Field: "cursor", Message: "invalid"}}}
	}
	return string(k), nil
}

// discard removes an object a failed request created and nothing refers
// to, so that the request leaves storage as it was; a failure is logged.
func (s *Service) discard(ctx context.Context, key string) {
	forgetRead(ctx, key)
	if err := s.Store.Delete(context.WithoutCancel(ctx), key, ""); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		s.Log.Error("leftover object of a failed request", "key", key, "err", err)
	}
}

// forgetRead drops key from what a request reading once read (getMutable):
// the request writes it.
func forgetRead(ctx context.Context, key string) {
	if once := drafts.ReadOnceFrom(ctx); once != nil {
		once.Forget(key)
	}
}

// errUnchanged, returned by the function of a read-modify-write, means
// there is nothing to write.
var errUnchanged = errors.New("unchanged")

// retry runs f until it returns something other than EPRECONDITION, a few
// times: read-modify-write cycles that lost a race start over.
func retry(f func() error) error {
	var err error
	for i := 0; i < 16; i++ {
		// A client's own stale If-Match is its answer, not a lost race.
		if err = f(); drafts.ErrorCode(err) != drafts.EPRECONDITION || errors.Is(err, errClientPrecondition) {
			return err
		}
	}
	return fmt.Errorf("too much contention: %w", err)
}

// actor returns the user of ctx, or an EUNAUTHORIZED error.
func actor(ctx context.Context) (*drafts.User, error) {
	u := drafts.UserFromContext(ctx)
	if u == nil {
		return nil, drafts.Errorf(drafts.EUNAUTHORIZED, "authentication required")
	}
	return u, nil
}

// DefaultReadParallelism is how many objects a list reads at once when
// Service.ReadParallelism is zero: a page of 100 on a replica that has
// not seen its objects is read in one round trip, not two.
const DefaultReadParallelism = 128

// readAll reads and decodes the objects at keys, several at a time, in
// order; an object gone since it was listed is left out (nil). It returns
// the objects and their ETags.
func readAll[T any](ctx context.Context, s *Service, keys []string) ([]*T, []string, error) {
	out := make([]*T, len(keys))
	etags := make([]string, len(keys))
	err := s.inParallel(ctx, len(keys), func(ctx context.Context, i int) error {
		v := new(T)
		etag, err := s.getJSON(ctx, keys[i], v)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil
		}
		if err != nil {
			return err
		}
		out[i], etags[i] = v, etag
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, etags, nil
}

// meanwhile starts f and returns what waits for its result: a read the
// caller does not need yet goes on while the caller does something else
// (each storage round trip of a page one after the other was most of its
// time in the room).
func meanwhile[T any](f func() (T, error)) func() (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	return func() (T, error) {
		r := <-done
		return r.v, r.err
	}
}

// inParallel runs f for 0 to n-1, Service.ReadParallelism at a time, and
// returns the first error, after which the others' context is cancelled
// and no more are started.
func (s *Service) inParallel(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	workers := s.ReadParallelism
	if workers <= 0 {
		workers = DefaultReadParallelism
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     = make(chan int)
	)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(ctx, i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// allKeys lists every key under prefix.
func (s *Service) allKeys(ctx context.Context, prefix string) ([]string, error) {
	return keysOf(s.allInfos(ctx, prefix))
}

// allKeysIn lists every key under prefix in st.
func (s *Service) allKeysIn(ctx context.Context, st drafts.ObjectStore, prefix string) ([]string, error) {
	return keysOf(allInfosIn(ctx, st.List, prefix))
}

// keysOf returns the keys of objs.
func keysOf(objs []drafts.ObjectInfo, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.Key
	}
	return keys, nil
}

// allInfos lists every object under prefix, sharing the listings with
// concurrent callers (listFresh).
func (s *Service) allInfos(ctx context.Context, prefix string) ([]drafts.ObjectInfo, error) {
	return allInfosIn(ctx, s.listFresh, prefix)
}

// listFunc lists a page of objects, as drafts.ObjectStore's List.
type listFunc func(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error)

// allInfosIn lists every object under prefix with list.
func allInfosIn(ctx context.Context, list listFunc, prefix string) ([]drafts.ObjectInfo, error) {
	var all []drafts.ObjectInfo
	after := ""
	for {
		objs, next, err := list(ctx, prefix, after, 1000)
		if err != nil {
			return nil, err
		}
		all = append(all, objs...)
		if next == "" {
			return all, nil
		}
		after = next
	}
}
