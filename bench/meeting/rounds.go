package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The pages every reader loads after a merge, in this order.
var pageKinds = []string{"document", "compilation", "diff"}

// path is the address of page kind for reader r after version head.
func (m *meeting) path(r *reader, kind string) string {
	prefix := "/v1/documents/" + m.doc
	if r.web {
		prefix = "/documents/" + m.doc
	}
	switch kind {
	case "document":
		if r.web {
			return prefix
		}
		return prefix + "/versions/" + strconv.Itoa(m.head)
	case "compilation":
		return prefix + "/compilation"
	}
	return prefix + "/versions/" + strconv.Itoa(m.head) + "/diff"
}

// rowName is the row of page kind as reader r loads it.
func rowName(r *reader, kind string) string {
	if r.web {
		return "web " + kind
	}
	return "API " + kind
}

// load fetches base+path as reader r and returns the status (0 when the
// request failed), the body as sent (compressed, unless -inflate), its
// Content-Encoding and the time taken.
func (r *reader) load(base, path string) (int, []byte, string, time.Duration, string) {
	start := time.Now()
	req, _ := http.NewRequest("GET", base+path, nil)
	if !*inflate {
		// Asked for by name, a compressed answer is not decompressed by
		// the client: a browser does that on its own machine, not on
		// the server's two cores, where this benchmark runs.
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if r.web {
		req.Header.Set("Accept", "text/html")
	} else {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, "", time.Since(start), err.Error()
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return 0, nil, "", took, err.Error()
	}
	enc := resp.Header.Get("Content-Encoding")
	why := ""
	if resp.StatusCode != http.StatusOK {
		text := body
		if enc == "gzip" {
			if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
				text, _ = io.ReadAll(zr)
			}
		}
		why = fmt.Sprintf("%d %.160s", resp.StatusCode, strings.Join(strings.Fields(string(text)), " "))
		if i := strings.Index(why, `role="alert"`); i > 0 { // the web's error box
			why = fmt.Sprintf("%d %.160s", resp.StatusCode, why[i:])
		}
	}
	return resp.StatusCode, body, enc, took, why
}

// merge has the chair merge the pending proposals onto the head, timing
// it and counting its storage operations (nothing else runs meanwhile).
func (m *meeting) merge() error {
	before, err := m.srv.ops()
	if err != nil {
		return err
	}
	start := time.Now()
	var resp struct {
		Number   int      `json:"number"`
		Accepted []string `json:"accepted"`
	}
	err = m.call("POST", "/v1/documents/"+m.doc+"/merges", m.chair, map[string]any{"base": m.head, "proposals": m.pending}, &resp, 201)
	if err != nil {
		return err
	}
	took := time.Since(start)
	after, err := m.srv.ops()
	if err != nil {
		return err
	}
	if len(resp.Accepted) != len(m.pending) {
		return fmt.Errorf("merge accepted %d of %d proposals", len(resp.Accepted), len(m.pending))
	}
	m.res.merges = append(m.res.merges, sample{took, after - before})
	m.head, m.pending = resp.Number, nil
	return nil
}

// startBare loads each page once as a web and an API reader, keeps the
// bodies in dir/bare and starts the bare handler serving them.
func (m *meeting) startBare(dir string) error {
	if err := m.merge(); err != nil {
		return err
	}
	bare := filepath.Join(dir, "bare")
	if err := os.MkdirAll(bare, 0o755); err != nil {
		return err
	}
	for _, r := range m.readers[:2] {
		for _, kind := range pageKinds {
			status, body, enc, _, why := r.load(m.srv.base, m.path(r, kind))
			if status != http.StatusOK {
				return fmt.Errorf("%s: %s", m.path(r, kind), why)
			}
			name := fmt.Sprintf("%s-%s", map[bool]string{true: "web", false: "api"}[r.web], kind)
			ctype := "application/json"
			if r.web {
				ctype = "text/html; charset=UTF-8"
			}
			if err := os.WriteFile(filepath.Join(bare, name), body, 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(bare, name+".type"), []byte(ctype), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(bare, name+".encoding"), []byte(enc), 0o644); err != nil {
				return err
			}
			m.res.sizes[rowName(r, kind)] = len(body)
		}
	}
	var err error
	m.bare, err = startBareChild(bare)
	return err
}

// release lets every reader load the pages of kinds at once from base
// (the server, or the bare handler with bare set), records each load in
// the results under the reader's row, and returns how many loads there
// were. While they load, during runs the delegates submit the next
// round's proposals.
func (m *meeting) release(kinds []string, only func(*reader) bool, bare bool, during func() error) (int, error) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	var mu sync.Mutex
	views := 0
	for _, r := range m.readers {
		if only != nil && !only(r) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for _, kind := range kinds {
				base, path := m.srv.base, m.path(r, kind)
				if bare {
					base, path = m.bare.base, "/bare/"+map[bool]string{true: "web", false: "api"}[r.web]+"-"+kind
				}
				status, _, _, took, why := r.load(base, path)
				mu.Lock()
				views++
				m.res.add(rowName(r, kind), bare, took, status == http.StatusOK, why)
				mu.Unlock()
			}
		}()
	}
	var duringErr error
	close(start)
	if during != nil {
		duringErr = during()
	}
	wg.Wait()
	return views, duringErr
}

// play runs the measured rounds, then one quiet round per row to count
// the storage operations of its page views alone.
func (m *meeting) play() error {
	if err := m.propose(m.doc, *delegates, m.head, &m.pending); err != nil {
		return err
	}
	for i := 0; i < *rounds; i++ {
		if err := m.merge(); err != nil {
			return err
		}
		m.res.round = i + 1
		before, err := m.srv.opsByKind()
		if err != nil {
			return err
		}
		cpu, minioCPU := m.srv.cpuMS(), m.srv.minioCPUms()
		if _, err := m.release(pageKinds, nil, false, func() error { return m.propose(m.doc, *delegates, m.head, &m.pending) }); err != nil {
			return err
		}
		m.res.roundCPU += (m.srv.cpuMS() - cpu) / float64(*rounds)
		m.res.roundMinIOCPU += (m.srv.minioCPUms() - minioCPU) / float64(*rounds)
		after, err := m.srv.opsByKind()
		if err != nil {
			return err
		}
		for op, n := range after {
			m.res.roundOps[op] += (n - before[op]) / float64(*rounds)
		}
		if _, err := m.release(pageKinds, nil, true, nil); err != nil {
			return err
		}
		log.Printf("%s: round %d done", m.res.backend, i+1)
	}
	m.res.round = 0
	for _, web := range []bool{true, false} {
		for _, kind := range pageKinds {
			if err := m.merge(); err != nil {
				return err
			}
			before, err := m.srv.ops()
			if err != nil {
				return err
			}
			cpuBefore := m.srv.cpuMS()
			views, err := m.release([]string{kind}, func(r *reader) bool { return r.web == web }, false, nil)
			if err != nil {
				return err
			}
			cpuAfter := m.srv.cpuMS()
			after, err := m.srv.ops()
			if err != nil {
				return err
			}
			m.res.opsPerView[rowName(&reader{web: web}, kind)] = (after - before) / float64(views)
			m.res.cpuPerView[rowName(&reader{web: web}, kind)] = (cpuAfter - cpuBefore) / float64(views)
			if err := m.propose(m.doc, *delegates, m.head, &m.pending); err != nil {
				return err
			}
		}
	}
	return nil
}

// bigCompilation times the compilation page of a document with n open
// proposals: the first load (nothing compiled yet), the median of 9
// loads after it, and a load after one more proposal, by a web reader
// and then an API reader.
func (m *meeting) bigCompilation(n int) error {
	doc, provs, err := m.document("SWG/2026/R.2", *provisions)
	if err != nil {
		return err
	}
	saved, savedProvs := m.doc, m.provs
	m.doc, m.provs = doc, provs
	defer func() { m.doc, m.provs = saved, savedProvs }()
	if err := m.propose(doc, n, 1, nil); err != nil {
		return err
	}
	for _, r := range m.readers[:2] {
		load := func() (time.Duration, error) {
			status, _, _, took, why := r.load(m.srv.base, m.path(r, "compilation"))
			if status != http.StatusOK {
				return 0, fmt.Errorf("compilation of %d: %s", n, why)
			}
			return took, nil
		}
		var t bigTimes
		var times []time.Duration
		for i := 0; i < 10; i++ {
			took, err := load()
			if err != nil {
				return err
			}
			if i == 0 {
				t.first = took
			} else {
				times = append(times, took)
			}
		}
		t.warm = quantile(times, 0.5)
		if err := m.propose(doc, 1, 1, nil); err != nil {
			return err
		}
		if t.oneMore, err = load(); err != nil {
			return err
		}
		m.res.bigComp[rowName(r, "compilation")] = t
	}
	m.res.bigN = n
	return nil
}

// bigTimes are the loads of the compilation page of bigCompilation.
type bigTimes struct{ first, warm, oneMore time.Duration }
