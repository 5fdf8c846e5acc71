package harness

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// MinIO is a MinIO server a benchmark started on loopback, reached
// through a proxy that adds latency each way (a nearby S3 region).
type MinIO struct {
	// Endpoint is the proxy's address: what the server under test is
	// given as its S3 endpoint.
	Endpoint string
	// Direct is MinIO's own address, without the added latency.
	Direct               string
	AccessKey, SecretKey string

	cmd *exec.Cmd
}

// MinIOBinary is the MinIO program: CHANCERY_MINIO_BIN, or the one
// test.sh installs in ~/.cache/chancery/bin.
func MinIOBinary() string {
	if bin := os.Getenv("CHANCERY_MINIO_BIN"); bin != "" {
		return bin
	}
	return filepath.Join(os.Getenv("HOME"), ".cache/chancery/bin/minio")
}

// StartMinIO starts MinIO with its data in dir and a proxy in front of it
// that delays every chunk by latency in each direction. Stop ends it.
func StartMinIO(dir string, latency time.Duration) (*MinIO, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	console, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	m := &MinIO{Direct: addr, AccessKey: "bench", SecretKey: "benchsecret"}
	m.cmd = exec.Command(MinIOBinary(), "server", "--quiet", "--address", addr, "--console-address", console, filepath.Join(dir, "data"))
	m.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.AccessKey, "MINIO_ROOT_PASSWORD="+m.SecretKey, "MINIO_BROWSER=off", "MINIO_UPDATE=off")
	if err := m.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting MinIO (%s): %w", MinIOBinary(), err)
	}
	if m.Endpoint, err = LatencyProxy(addr, latency); err != nil {
		m.Stop()
		return nil, err
	}
	return m, nil
}

// CPUms is the processor time MinIO has used so far (CPUms).
func (m *MinIO) CPUms() float64 { return CPUms(m.cmd.Process.Pid) }

// Stop ends MinIO.
func (m *MinIO) Stop() {
	m.cmd.Process.Kill()
	m.cmd.Wait()
}

// FreeAddr returns a loopback address with a port nobody listens on now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// LatencyProxy forwards TCP connections to target, delaying every chunk
// by delay in each direction (order kept), and returns its address. It
// runs as long as the program.
func LatencyProxy(target string, delay time.Duration) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				t, err := net.Dial("tcp", target)
				if err != nil {
					c.Close()
					return
				}
				go delayed(c, t, delay)
				go delayed(t, c, delay)
			}()
		}
	}()
	return ln.Addr().String(), nil
}

func delayed(src, dst net.Conn, delay time.Duration) {
	type chunk struct {
		b  []byte
		at time.Time
	}
	ch := make(chan chunk, 4096)
	go func() {
		for c := range ch {
			time.Sleep(time.Until(c.at))
			if _, err := dst.Write(c.b); err != nil {
				break
			}
		}
		dst.Close()
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			ch <- chunk{append([]byte(nil), buf[:n]...), time.Now().Add(delay)}
		}
		if err != nil {
			close(ch)
			return
		}
	}
}

// CPUms is the processor time (user and system) process pid has used so
// far, in ms (from /proc/PID/stat, in clock ticks of 10 ms); 0 if it
// cannot be read.
func CPUms(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name (in parentheses, which may
	// hold spaces): utime and stime are the 12th and 13th of them.
	rest := string(data)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) * 10
}
