package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/bench/internal/harness"
)

// bootstrap is the secretariat's token on every server the benchmark
// starts.
const bootstrap = "chy_meeting_0123456789abcdefghijklmnop"

// describeSource names the commit of src, for the report.
func describeSource(src string) string {
	out, err := exec.Command("git", "-C", src, "describe", "--always", "--dirty").Output()
	if err != nil {
		return src
	}
	return strings.TrimSpace(string(out))
}

// server is a chancery serve process under test.
type server struct {
	base, metrics string
	cmd           *exec.Cmd
	minio         *harness.MinIO
}

// startServer starts `chancery serve` on the local directory dir/data or
// on MinIO (data in dir) behind the latency proxy, and waits until it
// answers.
func startServer(backend, bin, dir string) (*server, error) {
	addr, err := harness.FreeAddr()
	if err != nil {
		return nil, err
	}
	maddr, err := harness.FreeAddr()
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, metrics: "http://" + maddr + "/metrics"}
	args := []string{"serve", "--addr", addr, "--metrics-addr", maddr, "--bootstrap-token", bootstrap, "--log-level", "error"}
	switch backend {
	case "local":
		args = append(args, "--storage", "local", "--data-dir", filepath.Join(dir, "data"))
	case "minio":
		if s.minio, err = harness.StartMinIO(dir, *latency); err != nil {
			return nil, err
		}
		args = append(args, "--storage", "s3", "--s3-endpoint", s.minio.Endpoint, "--s3-bucket", "meeting",
			"--s3-access-key", s.minio.AccessKey, "--s3-secret-key", s.minio.SecretKey, "--s3-create-bucket", "true", "--s3-startup-wait", "30s")
	default:
		return nil, fmt.Errorf("unknown backend %q (local or minio)", backend)
	}
	s.cmd = exec.Command(bin, args...)
	// The server's log (errors only) goes to a file: a refused request
	// is counted in the results, not printed a line at a time.
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		s.stop()
		return nil, err
	}
	defer logf.Close()
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, logf
	if err := s.cmd.Start(); err != nil {
		s.stop()
		return nil, err
	}
	if err := waitHealthy(s.base + "/healthz"); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func waitHealthy(url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("the server did not become healthy within a minute")
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	}
	if s.minio != nil {
		s.minio.Stop()
	}
}

// ops returns the storage operations the server has counted so far.
func (s *server) ops() (float64, error) {
	byOp, err := s.opsByKind()
	total := 0.0
	for _, n := range byOp {
		total += n
	}
	return total, err
}

// opsByKind is the count of each kind of storage operation (the metric's
// operation label: get, put, list…) the server has made so far.
func (s *server) opsByKind() (map[string]float64, error) {
	resp, err := http.Get(s.metrics)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	const name = "chancery_storage_operation_duration_seconds_count"
	byOp := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			return nil, err
		}
		op := "?"
		if _, rest, ok := strings.Cut(f[0], `operation="`); ok {
			op, _, _ = strings.Cut(rest, `"`)
		}
		byOp[op] += v
	}
	return byOp, sc.Err()
}

// cpuMS is the processor time (user and system) the server has used so
// far, in ms.
func (s *server) cpuMS() float64 { return harness.CPUms(s.cmd.Process.Pid) }

// minioCPUms is MinIO's processor time so far, in ms (0 without MinIO).
func (s *server) minioCPUms() float64 {
	if s.minio == nil {
		return 0
	}
	return s.minio.CPUms()
}

// peakRSSKB is the server's peak resident set so far (VmHWM), in KiB.
func (s *server) peakRSSKB() int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// bareServer is the child process serving the same bytes as the pages.
type bareServer struct {
	base string
	cmd  *exec.Cmd
}

func (b *bareServer) stop() {
	b.cmd.Process.Kill()
	b.cmd.Wait()
}

// startBare runs this program again as a bare Echo handler serving the
// bodies in dir/bare (each file NAME with its content type in NAME.type).
func startBareChild(dir string) (*bareServer, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := harness.FreeAddr()
	if err != nil {
		return nil, err
	}
	b := &bareServer{base: "http://" + addr}
	b.cmd = exec.Command(self, "-bare-dir", dir, "-bare-addr", addr)
	b.cmd.Stderr = os.Stderr
	if err := b.cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitHealthy(b.base + "/healthz"); err != nil {
		b.stop()
		return nil, err
	}
	return b, nil
}

// serveBare is the bare handler: the files of dir, read once, served as
// they are with c.Blob, as the server's handlers send an encoded page
// (with the Content-Encoding in NAME.encoding the server sent it with).
func serveBare(dir, addr string) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	entries, err := os.ReadDir(dir)
	harness.Check(err)
	for _, ent := range entries {
		name := ent.Name()
		if strings.HasSuffix(name, ".type") || strings.HasSuffix(name, ".encoding") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, name))
		harness.Check(err)
		ctype, err := os.ReadFile(filepath.Join(dir, name+".type"))
		harness.Check(err)
		enc, _ := os.ReadFile(filepath.Join(dir, name+".encoding"))
		e.GET("/bare/"+name, func(c echo.Context) error {
			if len(enc) > 0 {
				c.Response().Header().Set("Content-Encoding", string(enc))
			}
			return c.Blob(http.StatusOK, string(ctype), body)
		})
	}
	ln, err := net.Listen("tcp", addr)
	harness.Check(err)
	harness.Check(http.Serve(ln, e))
}
