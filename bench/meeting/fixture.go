package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// reader is one person in the room: a web session (a cookie) or an API
// token, of a member delegation or an observer.
type reader struct {
	web, observer bool
	token         string
	client        *http.Client
}

// meeting is the state of the session being played on one server.
type meeting struct {
	srv     *server
	res     *results
	bare    *bareServer
	admin   http.Client
	chair   string
	dels    []string // the delegates' tokens
	readers []*reader
	doc     string
	provs   []string // provision ids, in order
	head    int
	pending []string // proposals the chair merges next
	n       int      // proposals made so far, for distinct wordings
	mu      sync.Mutex
}

// newClient is a client of its own, as each person's browser or program
// has: its own connections and, for the web, its own cookies.
func newClient(web bool) *http.Client {
	c := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 10 * time.Minute}}
	if web {
		c.Jar, _ = cookiejar.New(nil)
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

// call sends a JSON request with the token and decodes the answer into
// out, failing unless the status is want.
func (m *meeting) call(method, path, token string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, m.srv.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.admin.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// inParallel runs f(0..n-1), eight at a time, and returns the first error.
func inParallel(n int, f func(i int) error) error {
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	sem := make(chan struct{}, 8)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(i); err != nil {
				once.Do(func() { first = err })
			}
		}()
	}
	wg.Wait()
	return first
}

// setup makes the delegations, the chair, the delegates and the readers
// (signing the web ones in), the document and its open proposals, and the
// first round's proposals.
func (m *meeting) setup() error {
	m.admin = http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	dels := []map[string]string{{"id": "OBS", "name": "Observer State", "status": "observer"}}
	for i := 1; i <= *delegates; i++ {
		id := fmt.Sprintf("D%02d", i)
		dels = append(dels, map[string]string{"id": id, "name": "Delegation " + id, "status": "member"})
	}
	if err := inParallel(len(dels), func(i int) error { return m.call("POST", "/v1/delegations", bootstrap, dels[i], nil, 201) }); err != nil {
		return err
	}
	var err error
	if m.chair, err = m.user(map[string]string{"name": "Chair", "role": "chair", "body": "SWG"}); err != nil {
		return err
	}
	m.dels = make([]string, *delegates)
	if err := inParallel(*delegates, func(i int) error {
		m.dels[i], err = m.user(map[string]string{"name": fmt.Sprintf("Delegate %d", i+1), "role": "delegate", "delegation": fmt.Sprintf("D%02d", i+1)})
		return err
	}); err != nil {
		return err
	}
	if err := m.makeReaders(); err != nil {
		return err
	}
	if m.doc, m.provs, err = m.document("SWG/2026/R.1", *provisions); err != nil {
		return err
	}
	m.head = 1
	if err := m.propose(m.doc, *openProps, 1, nil); err != nil {
		return err
	}
	return m.propose(m.doc, *delegates, m.head, &m.pending)
}

// makeReaders creates the readers: one in five an observer (by role, or a
// delegate of an observer delegation), the others delegates of the member
// delegations in turn; every other one signed in on the web, the rest
// with their API token.
func (m *meeting) makeReaders() error {
	m.readers = make([]*reader, *readers)
	return inParallel(*readers, func(i int) error {
		r := &reader{web: i%2 == 0, observer: i%5 == 4}
		u := map[string]string{"name": fmt.Sprintf("Reader %d", i+1), "role": "delegate", "delegation": fmt.Sprintf("D%02d", i%*delegates+1)}
		if r.observer {
			u["delegation"] = "OBS"
			if i%10 == 4 {
				u["role"] = "observer"
			}
		}
		var err error
		if r.token, err = m.user(u); err != nil {
			return err
		}
		r.client = newClient(r.web)
		if r.web {
			if err := m.signIn(r); err != nil {
				return err
			}
		}
		m.readers[i] = r
		return nil
	})
}

func (m *meeting) user(u map[string]string) (string, error) {
	var resp struct {
		Token string `json:"token"`
	}
	err := m.call("POST", "/v1/users", bootstrap, u, &resp, 201)
	return resp.Token, err
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs a web reader in with its token, as the sign-in form does.
func (m *meeting) signIn(r *reader) error {
	resp, err := r.client.Get(m.srv.base + "/signin")
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := csrfField.FindSubmatch(page)
	if csrf == nil {
		return fmt.Errorf("sign-in page without a CSRF field")
	}
	resp, err = r.client.PostForm(m.srv.base+"/signin", url.Values{"token": {r.token}, "csrf": {string(csrf[1])}, "next": {"/documents"}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("signing in: %d", resp.StatusCode)
	}
	return nil
}

// document creates a document of n provisions (a heading every ten) that
// observers may read, and returns its id and its provisions' ids.
func (m *meeting) document(symbol string, n int) (string, []string, error) {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		if i%10 == 1 {
			fmt.Fprintf(&sb, "# Part %d\n\n", i/10+1)
		}
		fmt.Fprintf(&sb, "%d. The Member States, recalling paragraph %d, agree to strengthen cooperation on the matters listed in the annex and to report on progress at each session of the Senior Officials Committee.\n\n", i, i)
	}
	var resp struct {
		ID      string `json:"id"`
		Version struct {
			Provisions []struct {
				ID     string `json:"id"`
				Number string `json:"number"`
			} `json:"provisions"`
		} `json:"version"`
	}
	err := m.call("POST", "/v1/documents", m.chair, map[string]any{"symbol": symbol, "title": "Draft Road Map " + symbol, "kind": "road-map",
		"body": "SWG", "language": "en", "visibility": "observers", "text": sb.String()}, &resp, 201)
	var ids []string
	for _, p := range resp.Version.Provisions {
		if !strings.HasPrefix(p.Number, "#") {
			ids = append(ids, p.ID)
		}
	}
	return resp.ID, ids, err
}

// propose has the delegates submit n proposals on doc's version base, one
// paragraph each (distinct paragraphs for n up to their number), and adds
// their ids to ids when not nil.
func (m *meeting) propose(doc string, n, base int, ids *[]string) error {
	m.mu.Lock()
	first := m.n
	m.n += n
	m.mu.Unlock()
	return inParallel(n, func(i int) error {
		k := first + i
		var p struct {
			ID string `json:"id"`
		}
		err := m.call("POST", "/v1/documents/"+doc+"/proposals", m.dels[i%len(m.dels)], map[string]any{"base": base, "justification": "For clarity.",
			"operations": []map[string]string{{"op": "replace", "provision": m.provs[k%len(m.provs)],
				"text": fmt.Sprintf("The Member States agree, in the wording of proposal %d, to cooperate closely and to report to each session.", k)}}}, &p, 201)
		if err == nil && ids != nil {
			m.mu.Lock()
			*ids = append(*ids, p.ID)
			m.mu.Unlock()
		}
		return err
	})
}
