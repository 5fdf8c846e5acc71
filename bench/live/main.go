// Command live measures the live event streams: N concurrent subscribers
// (500 by default, each a delegate with a token of their own) on one
// document of a server in a child process, over a local directory; the
// chair merges a proposal M times; for each merge, the time from the
// merge's answer (its events are stored then) to the receipt of its event
// by each subscriber, and to the last one. It also reports the server's
// memory per subscriber: heap and goroutine stacks in use (after a
// collection), and resident set, with the subscribers against without.
//
//	go run ./bench/live                              # 500 subscribers, 20 merges, 1s interval
//	go run ./bench/live -subscribers 500 -interval 100ms
//
// Client and server share the machine: on 2 cores, the clients' parsing
// competes with the server's writing.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"chancery/bench/internal/harness"
)

const bootstrap = "chy_bootstrap_0123456789abcdefghijklmnop"

var (
	child       = flag.String("child", "", "(internal) serve on this data directory")
	interval    = flag.Duration("interval", time.Second, "the live interval: how often the watched document is polled")
	subscribers = flag.Int("subscribers", 500, "concurrent subscribers")
	merges      = flag.Int("merges", 20, "merges measured")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	if *child != "" {
		serve(*child, *interval)
		return
	}
	dir, err := os.MkdirTemp("", "chancery-live-")
	harness.Check(err)
	defer os.RemoveAll(dir)
	s := startServer(dir)
	defer s.stop()
	c := &client{base: "http://" + s.addr}
	f := c.setUp(*subscribers)
	before := s.stats()
	subs := openAll(c, f, *subscribers)
	time.Sleep(3 * *interval) // the watcher started, the streams settled
	with := s.stats()
	if with.Streams != *subscribers {
		log.Fatalf("%d streams open on the server, want %d", with.Streams, *subscribers)
	}
	lasts, spreads, all := measure(c, f, subs, *merges)
	report(before, with, lasts, spreads, all)
}

// server is the child process.
type server struct {
	cmd  *exec.Cmd
	addr string
	in   io.WriteCloser
	out  *bufio.Scanner
}

func startServer(dir string) *server {
	self, err := os.Executable()
	harness.Check(err)
	cmd := exec.Command(self, "-child", dir, "-interval", interval.String())
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	harness.Check(err)
	out, err := cmd.StdoutPipe()
	harness.Check(err)
	harness.Check(cmd.Start())
	s := &server{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	if !s.out.Scan() || !strings.HasPrefix(s.out.Text(), "ADDR ") {
		log.Fatal("the server did not start")
	}
	s.addr = strings.TrimPrefix(s.out.Text(), "ADDR ")
	return s
}

func (s *server) stats() serverStats {
	fmt.Fprintln(s.in, "stats")
	if !s.out.Scan() {
		log.Fatal("the server went away")
	}
	var st serverStats
	harness.Check(json.Unmarshal(s.out.Bytes(), &st))
	return st
}

func (s *server) stop() {
	s.in.Close()
	_ = s.cmd.Wait()
}

// client sends JSON requests to the server.
type client struct {
	base string
	http http.Client
}

func (c *client) do(method, path, token string, body, out any) {
	harness.MustJSON(&c.http, method, c.base+path, token, body, out)
}

// fixture is a document, its chair and its delegates.
type fixture struct {
	doc, provision, chair string
	delegates             []string
}

func (c *client) setUp(n int) *fixture {
	f := &fixture{}
	c.do("POST", "/v1/delegations", bootstrap, map[string]string{"id": "KZ", "name": "Kazakhstan", "status": "member"}, nil)
	var u struct{ Token string }
	c.do("POST", "/v1/users", bootstrap, map[string]string{"name": "Chair", "role": "chair", "body": "SWG"}, &u)
	f.chair = u.Token
	for i := 0; i < n; i++ {
		c.do("POST", "/v1/users", bootstrap, map[string]string{"name": fmt.Sprintf("Delegate %d", i), "role": "delegate", "delegation": "KZ"}, &u)
		f.delegates = append(f.delegates, u.Token)
	}
	var d struct {
		ID      string
		Version struct{ Provisions []struct{ ID string } }
	}
	c.do("POST", "/v1/documents", f.chair, map[string]any{"symbol": "B/1", "title": "Bench", "kind": "other", "body": "SWG",
		"language": "en", "visibility": "members", "text": "1. One.\n\n2. Two.\n"}, &d)
	f.doc, f.provision = d.ID, d.Version.Provisions[0].ID
	return f
}

// measure merges a proposal m times and returns, per merge, the time to
// its last subscriber and from its first subscriber to its last, and
// every subscriber's time.
func measure(c *client, f *fixture, subs []*subscriber, m int) (lasts, spreads, all []time.Duration) {
	for i := 0; i < m; i++ {
		var p struct{ ID string }
		c.do("POST", "/v1/documents/"+f.doc+"/proposals", f.delegates[0], map[string]any{"base": i + 1, "justification": "j",
			"operations": []map[string]string{{"op": "replace", "provision": f.provision, "text": fmt.Sprintf("Words %d.", i)}}}, &p)
		ref := fmt.Sprint(i + 2) // the version the merge makes
		for _, s := range subs {
			s.expect(ref)
		}
		// At a random point of the interval, so that the figures are not
		// those of one phase of the watcher's polling.
		time.Sleep(rand.N(*interval))
		c.do("POST", "/v1/documents/"+f.doc+"/merges", f.chair, map[string]any{"base": i + 1, "proposals": []string{p.ID}, "message": "m"}, nil)
		merged := time.Now()
		last, first := time.Duration(0), time.Hour
		for _, s := range subs {
			select {
			case at := <-s.got:
				d := at.Sub(merged)
				all = append(all, d)
				last, first = max(last, d), min(first, d)
			case <-time.After(30 * time.Second):
				log.Fatalf("merge %d: a subscriber got nothing in 30s", i+1)
			}
		}
		lasts, spreads = append(lasts, last), append(spreads, last-first)
	}
	return lasts, spreads, all
}

func pct(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func report(before, with serverStats, lasts, spreads, all []time.Duration) {
	n := float64(*subscribers)
	fmt.Printf("%d subscribers on one document, poll interval %s, %d merges\n", *subscribers, *interval, len(lasts))
	fmt.Printf("merge answered → last subscriber's receipt: p50 %s, p99 %s, max %s\n",
		pct(lasts, .5).Round(time.Millisecond), pct(lasts, .99).Round(time.Millisecond), slices.Max(lasts).Round(time.Millisecond))
	fmt.Printf("merge answered → each subscriber's receipt (%d): p50 %s, p99 %s\n", len(all),
		pct(all, .5).Round(time.Millisecond), pct(all, .99).Round(time.Millisecond))
	fmt.Printf("first subscriber's receipt → last's (the fan-out): p50 %s, p99 %s\n",
		pct(spreads, .5).Round(time.Microsecond*100), pct(spreads, .99).Round(time.Microsecond*100))
	heap := (float64(with.HeapInuse) - float64(before.HeapInuse)) / n
	stack := (float64(with.StackInuse) - float64(before.StackInuse)) / n
	fmt.Printf("server memory per subscriber: heap %.1f KiB + stacks %.1f KiB = %.1f KiB; resident set %.1f KiB; goroutines %.1f\n",
		heap/1024, stack/1024, (heap+stack)/1024, float64(with.RSSKB-before.RSSKB)/n, float64(with.Goroutines-before.Goroutines)/n)
}
