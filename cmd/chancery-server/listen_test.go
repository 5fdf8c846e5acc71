package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeAddressInUse: a server whose API or metrics address is taken
// says so in one line, exits 1, and leaves no data directory and prints no
// token behind it.
func TestServeAddressInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"api", []string{"--addr", busy.Addr().String(), "--metrics-addr", "127.0.0.1:0"}, "listen on " + busy.Addr().String()},
		{"metrics", []string{"--addr", "127.0.0.1:0", "--metrics-addr", busy.Addr().String()}, "metrics: listen on " + busy.Addr().String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			var stdout, stderr bytes.Buffer
			args := append([]string{"serve", "--data-dir", dir}, tt.args...)
			if got, want := run(context.Background(), args, &stdout, &stderr), 1; got != want {
				t.Fatalf("exit code = %d, want %d (stderr %q)", got, want, stderr.String())
			}
			out := strings.TrimSpace(stderr.String())
			if strings.Contains(out, "\n") || !strings.Contains(out, tt.want) || !strings.Contains(out, "in use") {
				t.Errorf("stderr = %q, want one line with %q saying it is in use", out, tt.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("data directory was created (stat: %v)", err)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing (no token printed)", stdout.String())
			}
		})
	}
}
