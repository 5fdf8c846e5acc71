package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"chancery/drafts"
	"chancery/storage"
)

// openStore opens the local directory, or starts MinIO behind a latency
// proxy.
func openStore(ctx context.Context) (drafts.ObjectStore, func()) {
	dir, err := os.MkdirTemp("", "chancery-bench-")
	check(err)
	if *backend == "local" {
		l, err := storage.OpenLocal(dir)
		check(err)
		return l, func() { l.Close(); os.RemoveAll(dir) }
	}
	bin := os.Getenv("CHANCERY_MINIO_BIN")
	if bin == "" {
		bin = filepath.Join(os.Getenv("HOME"), ".cache/chancery/bin/minio")
	}
	addr, console := freeAddr(), freeAddr()
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", console, filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER=bench", "MINIO_ROOT_PASSWORD=benchsecret", "MINIO_BROWSER=off", "MINIO_UPDATE=off")
	check(cmd.Start())
	proxy := startProxy(addr, *latency)
	s3, err := storage.OpenS3(ctx, storage.Config{Type: "s3", S3Endpoint: proxy, S3Bucket: "bench", S3AccessKey: "bench", S3SecretKey: "benchsecret",
		S3CreateBucket: true, S3StartupWait: 30 * time.Second})
	check(err)
	return s3, func() { s3.Close(); cmd.Process.Kill(); cmd.Wait(); os.RemoveAll(dir) }
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	return ln.Addr().String()
}

// startProxy forwards TCP connections to target, delaying every chunk by
// delay in each direction (order kept), and returns its address.
func startProxy(target string, delay time.Duration) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
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
	return ln.Addr().String()
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
