package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
	"chancery/storage"
	"chancery/storage/s3test"
)

// faultBackend is a storage the fault tests run a server on.
type faultBackend struct {
	name string
	args []string
	// open opens the storage in the test, once the server is dead.
	open func(t *testing.T) storage.Bucket
	// tamper changes stored objects behind the server's back: on disk,
	// or through the S3 API.
	tamper func(t *testing.T) tamperer
}

// faultBackends are the local directory and MinIO.
func faultBackends(t *testing.T) []faultBackend {
	dir := t.TempDir()
	local := faultBackend{name: "local", args: []string{"--data-dir", dir},
		open: func(t *testing.T) storage.Bucket {
			l, err := storage.OpenLocal(dir)
			if err != nil {
				t.Fatal(err)
			}
			return l
		},
		tamper: func(t *testing.T) tamperer { return diskTamperer{t: t, root: filepath.Join(dir, "objects")} },
	}
	return []faultBackend{local, minioBackend(s3test.StartMinIO(t))}
}

// minioBackend is a server's bucket on srv.
func minioBackend(srv *s3test.Server) faultBackend {
	return faultBackend{name: "minio",
		args: []string{"--storage", "s3", "--s3-endpoint", srv.Endpoint, "--s3-bucket", srv.Bucket,
			"--s3-access-key", srv.AccessKey, "--s3-secret-key", srv.SecretKey},
		open:   func(t *testing.T) storage.Bucket { return srv.MustOpen(t) },
		tamper: func(t *testing.T) tamperer { return s3Tamperer{t: t, store: srv.MustOpen(t)} },
	}
}

// tamperer reads, writes and removes stored objects by key, past the
// server.
type tamperer interface {
	get(key string) ([]byte, bool)
	put(key string, data []byte)
	remove(key string)
}

// diskTamperer edits the files of the local directory.
type diskTamperer struct {
	t    *testing.T
	root string
}

func (d diskTamperer) get(key string) ([]byte, bool) {
	data, err := os.ReadFile(filepath.Join(d.root, filepath.FromSlash(key)))
	return data, err == nil
}

func (d diskTamperer) put(key string, data []byte) {
	if err := os.WriteFile(filepath.Join(d.root, filepath.FromSlash(key)), data, 0o640); err != nil {
		d.t.Fatal(err)
	}
}

func (d diskTamperer) remove(key string) {
	if err := os.Remove(filepath.Join(d.root, filepath.FromSlash(key))); err != nil {
		d.t.Fatal(err)
	}
}

// s3Tamperer edits objects through the S3 API.
type s3Tamperer struct {
	t     *testing.T
	store *storage.S3
}

func (s s3Tamperer) get(key string) ([]byte, bool) {
	o, err := s.store.Get(context.Background(), key)
	if err != nil {
		return nil, false
	}
	return o.Data, true
}

func (s s3Tamperer) put(key string, data []byte) {
	ctx := context.Background()
	var err error
	if o, gerr := s.store.Get(ctx, key); gerr == nil {
		_, err = s.store.Update(ctx, key, data, o.ETag)
	} else {
		_, err = s.store.Create(ctx, key, data)
	}
	if err != nil {
		s.t.Fatal(err)
	}
}

func (s s3Tamperer) remove(key string) {
	if err := s.store.Delete(context.Background(), key, ""); err != nil {
		s.t.Fatal(err)
	}
}

// eventCounts counts the events of docs by "action ref".
func eventCounts(events []drafts.Event) map[string]int {
	n := map[string]int{}
	for _, e := range events {
		n[e.Action+" "+e.Ref]++
	}
	return n
}

// storedEvents reads every event of doc from store, as a process
// started on it would, before it completes anything.
func storedEvents(t *testing.T, store drafts.ObjectStore, doc string) []drafts.Event {
	t.Helper()
	svc := service.New(store, diffing.New(), allowAll{})
	ctx := drafts.NewSystemContext(context.Background())
	var out []drafts.Event
	opt := drafts.ListOptions{Limit: 500}
	for {
		page, err := svc.ListEvents(ctx, doc, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			out = append(out, *e)
		}
		if opt.Cursor = page.NextCursor; opt.Cursor == "" {
			return out
		}
	}
}

// allowAll lets the test read as the system.
type allowAll struct{}

func (allowAll) Authorize(drafts.Subject, string, drafts.Resource) error { return nil }

// checkAcknowledged: with the server dead, every acknowledged change has
// its event in storage already.
func checkAcknowledged(t *testing.T, store storage.Bucket, f *forum, l *ledger) {
	t.Helper()
	defer store.Close()
	counts := eventCounts(append(storedEvents(t, store, f.doc), storedEvents(t, store, f.rounds)...))
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, n := range l.acks {
		if counts[k] < n {
			t.Errorf("acknowledged %d× %q, stored %d events of it", n, k, counts[k])
		}
	}
}

// verification is what the API says of a trail.
type verification struct {
	OK         bool     `json:"ok"`
	Checked    int      `json:"checked"`
	FirstBad   *int64   `json:"first_bad"`
	Problem    string   `json:"problem"`
	Unrecorded []string `json:"unrecorded"`
	Duplicates []string `json:"duplicates"`
}

// checkComplete: once the server has written what it owed, both trails
// verify with no change unrecorded or recorded twice; every acknowledged
// change has its event, and no action has more events than were tried.
func checkComplete(t *testing.T, a *faultClient, f *forum, l *ledger) {
	t.Helper()
	var all []drafts.Event
	late := 0
	for _, doc := range []string{f.doc, f.rounds} {
		var v verification
		deadline := time.Now().Add(60 * time.Second)
		for {
			v = verification{}
			a.must(t, 200, "GET", "/v1/documents/"+doc+"/events/verify", f.delegates[0], nil, &v)
			if v.OK || time.Now().After(deadline) {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if !v.OK || len(v.Unrecorded) > 0 || len(v.Duplicates) > 0 {
			t.Fatalf("verification of %s: %+v", doc, v)
		}
		events := apiEvents(t, a, f, doc)
		if v.Checked != len(events) {
			t.Fatalf("verification checked %d events of %d", v.Checked, len(events))
		}
		for _, e := range events {
			if strings.Contains(e.Detail, "recorded late") {
				late++
			}
		}
		all = append(all, events...)
	}
	counts, byAction := eventCounts(all), map[string]int{}
	for _, e := range all {
		byAction[e.Action]++
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	acked, kinds := 0, map[string]int{}
	for k, n := range l.acks {
		acked += n
		kinds[strings.Fields(k)[0]] += n
		if counts[k] < n {
			t.Errorf("acknowledged %d× %q, %d events of it", n, k, counts[k])
		}
	}
	for action, n := range l.tried {
		if byAction[action] > n {
			t.Errorf("%d events %s, %d tried", byAction[action], action, n)
		}
	}
	t.Logf("%d changes acknowledged (%v); %d events verify, complete, once each; %d of them recorded late", acked, kinds, len(all), late)
}

// apiEvents lists every event of doc through the API.
func apiEvents(t *testing.T, a *faultClient, f *forum, doc string) []drafts.Event {
	t.Helper()
	var out []drafts.Event
	cursor := ""
	for {
		var page struct {
			Items      []drafts.Event `json:"items"`
			NextCursor string         `json:"next_cursor"`
		}
		a.must(t, 200, "GET", "/v1/documents/"+doc+"/events?limit=500&cursor="+cursor, f.delegates[0], nil, &page)
		out = append(out, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return out
		}
	}
}

// checkTampering: while the server runs, verification names an event
// edited in storage, one deleted and one duplicated, and passes again
// once each is put back.
func checkTampering(t *testing.T, a *faultClient, f *forum, tm tamperer) {
	t.Helper()
	verify := func() verification {
		var v verification
		a.must(t, 200, "GET", "/v1/documents/"+f.doc+"/events/verify", f.delegates[0], nil, &v)
		return v
	}
	key := func(seq int64) string { return fmt.Sprintf("texts/%s/events/%012d.json", f.doc, seq) }
	events := apiEvents(t, a, f, f.doc)
	// An event stored in an object of its own (not inside a batch), with a change.
	var victim drafts.Event
	var original []byte
	for i := len(events) / 2; i < len(events) && original == nil; i++ {
		if data, ok := tm.get(key(events[i].Seq)); ok && events[i].Change != "" && !strings.Contains(string(data), `"more"`) {
			victim, original = events[i], data
		}
	}
	if original == nil {
		t.Fatal("no event to tamper with")
	}
	restored := func(what string) {
		t.Helper()
		if v := verify(); !v.OK {
			t.Fatalf("after the %s event was put back: %+v", what, v)
		}
	}
	tm.put(key(victim.Seq), []byte(strings.Replace(string(original), `"actor":"`, `"actor":"x`, 1)))
	if v := verify(); v.OK || v.FirstBad == nil || *v.FirstBad != victim.Seq || !strings.Contains(v.Problem, "hash") {
		t.Errorf("an event edited in storage: verification %+v, want event %d named", v, victim.Seq)
	}
	tm.put(key(victim.Seq), original)
	restored("edited")

	tm.remove(key(victim.Seq))
	if v := verify(); v.OK || v.FirstBad == nil || *v.FirstBad != victim.Seq || !slices.Contains(v.Unrecorded, victim.Change) {
		t.Errorf("an event deleted in storage: verification %+v, want event %d missing and %s unrecorded", v, victim.Seq, victim.Change)
	}
	tm.put(key(victim.Seq), original)
	restored("deleted")

	last := events[len(events)-1].Seq
	var copied drafts.Event
	json.Unmarshal(original, &copied)
	tm.put(key(last+1), original)
	if v := verify(); v.OK || v.FirstBad == nil || *v.FirstBad != last+1 || !slices.Equal(v.Duplicates, []string{copied.Change}) {
		t.Errorf("an event duplicated in storage: verification %+v, want event %d named and %s duplicated", v, last+1, copied.Change)
	}
	tm.remove(key(last + 1))
	restored("duplicated")
	t.Logf("verification named an event edited, deleted and duplicated in storage (event %d, %s) while the server ran", victim.Seq, victim.Change)
}
