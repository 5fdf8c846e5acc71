package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// ops returns the storage operations counted so far by the server's metric.
func (b *bench) ops() float64 {
	fams, err := b.metrics.Registry.Gather()
	check(err)
	total := 0.0
	for _, f := range fams {
		if f.GetName() != "chancery_storage_operation_duration_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			total += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return total
}

func (b *bench) do(method, path, who string, body any, want int, out any) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		check(err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	check(err)
	req.Header.Set("Authorization", "Bearer "+b.tokens[who])
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.client.Do(req)
	check(err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		log.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		check(json.Unmarshal(data, out))
	}
}

// measure runs f reps times and returns the mean storage operations and
// the median latency in ms.
// drain waits for what requests left to do after answering (a merge moves
// its trail's hint then), so that it counts with the request that left it.
func (b *bench) drain() {
	if d, ok := b.svc.(interface{ Drain() }); ok {
		d.Drain()
	}
}

func (b *bench) measure(reps int, f func(i int)) (float64, float64) {
	var times []float64
	b.drain()
	before := b.ops()
	for i := 0; i < reps; i++ {
		start := time.Now()
		f(i)
		times = append(times, float64(time.Since(start).Microseconds())/1000)
	}
	b.drain()
	ops := (b.ops() - before) / float64(reps)
	sort.Float64s(times)
	return ops, times[len(times)/2]
}

// text makes a text of n provisions.
func text(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%d. The Member States, recalling provision %d, agree to strengthen cooperation on the matters listed in the annex and to report on progress at each session.\n\n", i, i)
	}
	return sb.String()
}

type version struct {
	Provisions []struct {
		ID string `json:"id"`
	} `json:"provisions"`
}

func (b *bench) document(title string, provisions int) (string, []string) {
	var resp struct {
		ID      string  `json:"id"`
		Version version `json:"version"`
	}
	b.do("POST", "/v1/documents", "chair", map[string]any{"symbol": "B/" + title, "title": title, "kind": "other", "body": "SWG",
		"language": "en", "visibility": "members", "text": text(provisions)}, 201, &resp)
	var ids []string
	for _, p := range resp.Version.Provisions {
		ids = append(ids, p.ID)
	}
	return resp.ID, ids
}

func (b *bench) propose(doc, prov, who string) string {
	b.n++
	var p struct {
		ID string `json:"id"`
	}
	b.do("POST", "/v1/documents/"+doc+"/proposals", who, map[string]any{"base": 1, "justification": "Clarity.",
		"operations": []map[string]string{{"op": "replace", "provision": prov, "text": fmt.Sprintf("The Member States agree, in wording %d, to cooperate.", b.n)}}}, 201, &p)
	return p.ID
}

func (b *bench) setup() {
	start := time.Now()
	for _, d := range [][2]string{{"KZ", "member"}, {"IN", "member"}, {"JP", "observer"}} {
		b.do("POST", "/v1/delegations", "sec", map[string]string{"id": d[0], "name": d[0], "status": d[1]}, 201, nil)
	}
	for _, u := range []map[string]string{
		{"name": "chair", "role": "chair", "body": "SWG"},
		{"name": "KZ", "role": "delegate", "delegation": "KZ"},
		{"name": "IN", "role": "delegate", "delegation": "IN"},
	} {
		var r struct {
			Token string `json:"token"`
		}
		b.do("POST", "/v1/users", "sec", u, 201, &r)
		b.tokens[u["name"]] = r.Token
	}
	b.small, b.smallProv = b.document("small", 30)
	b.big, b.bigProv = b.document("big", 60)
	if *proposals == 0 {
		return
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	var mu sync.Mutex
	for i := 0; i < *proposals; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			mu.Lock()
			b.n++
			n := b.n
			mu.Unlock()
			var p struct{}
			b.do("POST", "/v1/documents/"+b.big+"/proposals", []string{"KZ", "IN"}[i%2], map[string]any{"base": 1, "justification": "Clarity.",
				"operations": []map[string]string{{"op": "replace", "provision": b.bigProv[i%len(b.bigProv)], "text": fmt.Sprintf("The Member States agree, in wording %d, to cooperate.", n)}}}, 201, &p)
		}(i)
	}
	wg.Wait()
	b.mergeDoc, _ = b.document("merge", 40)
	for i := 3; i < *docs; i++ {
		b.document(fmt.Sprintf("filler%d", i), 3)
	}
	log.Printf("setup: %s", time.Since(start).Round(time.Millisecond))
	if *settle > 0 {
		// A store does not get thousands of objects in the last minute in
		// use: let MinIO finish what a bulk load leaves it to do (its
		// scanner, its listing caches) before measuring.
		log.Printf("settling for %s", *settle)
		time.Sleep(*settle)
	}
}
