package main

import (
	"bufio"
	"encoding/json"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// subscriber is one open event stream; it reports when the merge event
// it expects arrives.
type subscriber struct {
	mu   sync.Mutex
	want string // the ref of the merge event awaited
	got  chan time.Time
}

func (s *subscriber) expect(ref string) {
	s.mu.Lock()
	s.want = ref
	s.mu.Unlock()
}

// openAll opens n streams, one per delegate, and returns once all are
// open.
func openAll(c *client, f *fixture, n int) []*subscriber {
	subs := make([]*subscriber, n)
	ready := make(chan struct{}, n)
	transport := &http.Transport{MaxIdleConnsPerHost: n}
	for i := range subs {
		s := &subscriber{got: make(chan time.Time, 1)}
		subs[i] = s
		go s.run(transport, c.base+"/v1/documents/"+f.doc+"/events/stream", f.delegates[i], ready)
	}
	for range subs {
		<-ready
	}
	return subs
}

// run reads the stream: on each merge event whose ref is awaited, the
// time it arrived.
func (s *subscriber) run(t *http.Transport, url, token string, ready chan<- struct{}) {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := t.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 {
		log.Fatalf("opening a stream: %v %v", err, resp)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Scan() // retry:
	ready <- struct{}{}
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "merge":
			at := time.Now()
			var e struct{ Ref string }
			_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e)
			s.mu.Lock()
			if e.Ref == s.want {
				s.want = ""
				s.got <- at
			}
			s.mu.Unlock()
		}
	}
}
