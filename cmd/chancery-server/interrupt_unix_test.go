//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestToolsStopOnInterrupt: Ctrl+C stops chancery render at once, as it
// stops any tool; only serve and admin catch it, to stop cleanly. The
// render is interrupted while it reads its text from a FIFO that nothing
// writes to.
func TestToolsStopOnInterrupt(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "text.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), mainEnv+"=1", serveArgsEnv+"=render\n"+fifo+"\n-o\n"+filepath.Join(t.TempDir(), "out.pdf"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// A writer can open the FIFO without waiting only once the render has
	// opened it to read: from then on the render waits for its text, well
	// past its start-up.
	var w *os.File
	for deadline := time.Now().Add(30 * time.Second); w == nil; {
		f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		switch {
		case err == nil:
			w = f
		case !errors.Is(err, syscall.ENXIO) || time.Now().After(deadline):
			cmd.Process.Kill()
			t.Fatalf("the render did not open its text: %v", err)
		default:
			time.Sleep(10 * time.Millisecond)
		}
	}
	defer w.Close()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("render ended with %v after an interrupt, want to be stopped by it", err)
		}
		if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
			t.Fatalf("render ended with %v after an interrupt, want to be stopped by it", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("render went on waiting for its text after an interrupt")
	}
}
