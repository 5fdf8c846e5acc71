package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// throughput runs wrk against GET version (authenticated, through the
// whole server) and against a bare Echo handler serving the same bytes.
func (b *bench) throughput() {
	*proposals, *docs = 0, 0
	b.setup()
	path := "/v1/documents/" + b.small + "/versions/1"
	req, err := http.NewRequest("GET", b.base+path, nil)
	check(err)
	req.Header.Set("Authorization", "Bearer "+b.tokens["KZ"])
	resp, err := b.client.Do(req)
	check(err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ctype := resp.Header.Get("Content-Type")
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/bare", func(c echo.Context) error { return c.Blob(http.StatusOK, ctype, body) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go http.Serve(ln, e)
	run := func(name, url string, headers ...string) float64 {
		args := []string{"-t2", fmt.Sprintf("-c%d", *conns), "-d" + wrk.String(), "--latency"}
		for _, h := range headers {
			args = append(args, "-H", h)
		}
		out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
		check(err)
		rps, p99 := "", ""
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == "Requests/sec:" {
				rps = f[1]
			}
			if len(f) >= 2 && f[0] == "99%" {
				p99 = f[1]
			}
		}
		fmt.Printf("%-40s %12s req/s   p99 %s\n", name, rps, p99)
		f, _ := strconv.ParseFloat(rps, 64)
		return f
	}
	fmt.Printf("wrk %s, %d connections, %d-byte body\n", *wrk, *conns, len(body))
	var ratios []float64
	for r := 0; r < *rounds; r++ {
		bare := run("bare Echo handler, same bytes", "http://"+ln.Addr().String()+"/bare")
		auth := run("GET version (authenticated, "+*backend+")", b.base+path, "Authorization: Bearer "+b.tokens["KZ"])
		ratios = append(ratios, auth/bare)
	}
	if *rounds > 1 {
		sort.Float64s(ratios)
		fmt.Printf("ratio authenticated/bare by round %.2f, median %.2f\n", ratios, ratios[len(ratios)/2])
	}
}
