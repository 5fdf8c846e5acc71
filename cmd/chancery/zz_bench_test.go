package main

import (
	"io"
	"testing"
)

func BenchmarkZZDiff(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := runDiff([]string{"--format", "text", "/tmp/d/150KB/old.txt", "/tmp/d/150KB/new.txt"}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
