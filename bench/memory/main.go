// Command memory measures the peak memory (VmHWM, from /proc) of a real
// chancery server process under concurrent load on one long text: 32
// clients asking at once for the PDF of a 2 MB text, for its tracked
// changes against a rewritten version, for its .docx, sending it as a
// .docx proposal, for the PDF of the compilation, and for the document's
// metadata; 64 asking for PDFs and .docx files mixed. Each scenario runs
// in a fresh server process (VmHWM is a high-water mark), over a local
// data directory prepared once, and counts the answers: every one must be
// a 2xx, or a 503 that says when to retry.
//
//	go run ./bench/memory                    # builds ./cmd/chancery-server
//	go run ./bench/memory -clients 64 -bytes 2000000
//	go run ./bench/memory -only docx         # the scenarios whose name holds "docx"
//	go run ./bench/memory -only "docx upload,compilation PDF"
//	                                         # the compilation with the uploads' 32 proposals, as in a full run
//	go run ./bench/memory -memory-limit-mb 0 # the servers without a soft memory limit
//
// Linux only (it reads /proc/PID/status).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"chancery/bench/internal/harness"
)

const bootstrap = "chy_bootstrap_0123456789abcdefghijklmnop"

var (
	bin     = flag.String("bin", "", "chancery-server binary (default: build ./cmd/chancery-server)")
	clients = flag.Int("clients", 32, "concurrent requests per scenario")
	size    = flag.Int("bytes", 2_000_000, "size of the text")
	rounds  = flag.Int("rounds", 1, "times each client repeats its request")
	only    = flag.String("only", "", "comma-separated scenarios to run (default all)")
	memMB   = flag.String("memory-limit-mb", "", "the server's --memory-limit-mb (default: the server's own default)")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	tmp, err := os.MkdirTemp("", "chancery-memory-")
	harness.Check(err)
	defer os.RemoveAll(tmp)
	if *bin == "" {
		*bin = filepath.Join(tmp, "chancery")
		harness.Check(harness.BuildServer(".", *bin))
	}
	data := filepath.Join(tmp, "data")
	docID, readerToken, docx := prepare(data)

	doc := "/v1/documents/" + docID
	get := func(path string) func(int) request {
		return func(int) request { return request{method: "GET", path: path} }
	}
	word := func(path string) func(int) request {
		return func(int) request { return request{method: "GET", path: path, accept: wordType} }
	}
	scenarios := []struct {
		name    string
		clients int
		req     func(i int) request
	}{
		{"idle (started, no request)", 0, nil},
		{"GET document (metadata)", *clients, get(doc)},
		{"GET version 2 (JSON)", *clients, get(doc + "/versions/2")},
		{"PDF of version 1", *clients, get(doc + "/versions/1/pdf")},
		{"PDF changes 1->2", *clients, get(doc + "/versions/2/pdf?against=1")},
		{"diff 1->2 (JSON)", *clients, get(doc + "/versions/2/diff?against=1")},
		{"docx of version 2", *clients, word(doc + "/versions/2")},
		{"docx upload (proposal)", *clients, func(int) request {
			return request{method: "POST", path: doc + "/proposals?base=2&justification=From+Word", body: docx, contentType: wordType}
		}},
		{"mixed PDF and docx", 2 * *clients, func(i int) request {
			switch i % 4 {
			case 0:
				return request{method: "GET", path: doc + "/versions/1/pdf"}
			case 1:
				return request{method: "GET", path: doc + "/versions/2/pdf?against=1"}
			case 2:
				return request{method: "GET", path: doc + "/versions/1", accept: wordType}
			}
			return request{method: "GET", path: doc + "/versions/2/diff?against=1", accept: wordType}
		}},
		{"compilation PDF", *clients, func(int) request {
			return request{method: "GET", path: doc + "/compilation", accept: "application/pdf"}
		}},
	}
	fmt.Printf("%-28s %7s %10s %10s %6s %6s %6s %9s\n", "scenario", "clients", "VmHWM MB", "start MB", "2xx", "503", "other", "seconds")
	for _, sc := range scenarios {
		if harness.Selected(*only, sc.name, strings.Contains) {
			scenario(data, sc.name, sc.clients, sc.req, readerToken)
		}
	}
}

const wordType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// request is one request a client of a scenario sends.
type request struct {
	method, path, accept, contentType string
	body                              []byte
}

// prepare makes, in a server on the data directory, a document with a
// text of -bytes, a second version that rewrites a word in every tenth
// provision, and 40 open proposals, and returns its id, the token of a
// delegate, and version 1 as a .docx (to send back as a proposal on 2).
func prepare(data string) (docID, readerToken string, docx []byte) {
	srv := start(data)
	defer srv.stop()
	c := &client{base: srv.base, token: bootstrap}
	c.must("POST", "/v1/delegations", map[string]string{"id": "KZ", "name": "Kazakhstan", "status": "member"}, nil)
	var chair struct{ Token string }
	c.must("POST", "/v1/users", map[string]string{"name": "Chair", "role": "chair", "body": "SWG"}, &chair)
	var reader struct{ Token string }
	c.must("POST", "/v1/users", map[string]string{"name": "Reader", "role": "delegate", "delegation": "KZ"}, &reader)
	text1, text2 := texts(*size)
	cc := &client{base: srv.base, token: chair.Token}
	var doc struct{ ID string }
	cc.must("POST", "/v1/documents", map[string]any{"symbol": "BENCH/1", "title": "A long text", "kind": "other", "body": "SWG",
		"language": "en", "visibility": "members", "text": text1}, &doc)
	var v2 struct{ Provisions []struct{ ID string } }
	cc.must("POST", "/v1/documents/"+doc.ID+"/versions", map[string]any{"base": 1, "text": text2, "message": "rewritten"}, &v2)
	rc := &client{base: srv.base, token: reader.Token}
	for i := 0; i < 40; i++ {
		rc.must("POST", "/v1/documents/"+doc.ID+"/proposals", map[string]any{"base": 2, "justification": "bench",
			"operations": []map[string]string{{"op": "replace", "provision": v2.Provisions[i*7%len(v2.Provisions)].ID, "text": fmt.Sprintf("Proposal %d.", i)}}}, nil)
	}
	docx = rc.fetch("/v1/documents/"+doc.ID+"/versions/1", wordType)
	fmt.Printf("text: %d bytes, %d provisions, 40 open proposals, its .docx %d bytes; %d clients x %d rounds; GOMAXPROCS of this machine %d\n\n",
		len(text1), strings.Count(text1, "\n\n")+1, len(docx), *clients, *rounds, runtime.NumCPU())
	return doc.ID, reader.Token, docx
}

// scenario starts a fresh server on the data directory, has clients
// clients send req -rounds times each at once (or, with none, waits a
// second), and prints the server's peak memory and the statuses answered.
func scenario(data, name string, clients int, req func(int) request, token string) {
	srv := start(data)
	startKB := vm(srv.pid, "VmHWM")
	t0 := time.Now()
	var ok, busy int
	other := map[int]int{}
	if req != nil {
		ok, busy, other = load(&client{base: srv.base, token: token}, clients, req)
	} else {
		time.Sleep(time.Second)
	}
	hwm := vm(srv.pid, "VmHWM")
	srv.stop()
	n := 0
	for _, v := range other {
		n += v
	}
	fmt.Printf("%-28s %7d %10.1f %10.1f %6d %6d %6d %9.2f\n", name, clients, float64(hwm)/1024, float64(startKB)/1024, ok, busy, n, time.Since(t0).Seconds())
	if n > 0 {
		fmt.Printf("  other statuses: %v\n", other)
	}
}

// load has clients clients send req -rounds times each, at once, and
// counts the answers: 2xx, 503 with Retry-After, and others by status.
func load(c *client, clients int, req func(int) request) (ok, busy int, other map[int]int) {
	other = map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < *rounds; r++ {
				status, retry := c.drain(req(i))
				mu.Lock()
				switch {
				case status >= 200 && status < 300:
					ok++
				case status == 503 && retry != "":
					busy++
				default:
					other[status]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ok, busy, other
}

// texts returns a text of about n bytes (provisions of about 400 bytes)
// and a version of it with one word changed in every tenth provision.
func texts(n int) (string, string) {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the member states shall cooperate consult inform each other on matters of common security confidence building measures in the economic environmental humanitarian and military political dimensions through regular meetings of experts and senior officials")
	var a, b strings.Builder
	for i := 1; a.Len() < n-500; i++ {
		var p strings.Builder
		fmt.Fprintf(&p, "%d. ", i)
		for p.Len() < 400 {
			p.WriteString(words[r.IntN(len(words))])
			p.WriteByte(' ')
		}
		para := strings.TrimSpace(p.String()) + "."
		if i > 1 {
			a.WriteString("\n\n")
			b.WriteString("\n\n")
		}
		a.WriteString(para)
		if i%10 == 0 {
			para = strings.Replace(para, " shall ", " should ", 1)
			para = strings.Replace(para, " the ", " all the ", 1)
		}
		b.WriteString(para)
	}
	return a.String(), b.String()
}

// server is a running chancery process.
type server struct {
	cmd  *exec.Cmd
	pid  int
	base string
}

func start(data string) *server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	harness.Check(err)
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--addr", addr, "--metrics-addr", "off", "--data-dir", data,
		"--bootstrap-token", bootstrap, "--log-level", "error"}
	if *memMB != "" {
		args = append(args, "--memory-limit-mb", *memMB)
	}
	cmd := exec.Command(*bin, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	harness.Check(cmd.Start())
	s := &server{cmd: cmd, pid: cmd.Process.Pid, base: "http://" + addr}
	for i := 0; ; i++ {
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if i > 300 {
			log.Fatal("the server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// vm reads a field of /proc/PID/status, in kB.
func vm(pid int, field string) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	harness.Check(err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	log.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// client speaks JSON to the server as one user.
type client struct {
	base, token string
	http        http.Client
}

func (c *client) must(method, path string, body, out any) {
	data, err := json.Marshal(body)
	harness.Check(err)
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, bytes.NewReader(data))
	harness.Check(err)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	harness.Check(err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		log.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		harness.Check(json.Unmarshal(raw, out))
	}
}

// drain sends r, reads the body to the end and returns the status and
// the Retry-After header.
func (c *client) drain(r request) (int, string) {
	req, err := http.NewRequest(r.method, c.base+r.path, bytes.NewReader(r.body))
	harness.Check(err)
	req.Header.Set("Authorization", "Bearer "+c.token)
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return -1, ""
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// fetch GETs path as accept and returns the body; anything but a 200 is fatal.
func (c *client) fetch(path, accept string) []byte {
	req, err := http.NewRequest("GET", c.base+path, nil)
	harness.Check(err)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", accept)
	resp, err := c.http.Do(req)
	harness.Check(err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	harness.Check(err)
	if resp.StatusCode != 200 {
		log.Fatalf("GET %s: %d %s", path, resp.StatusCode, data)
	}
	return data
}
