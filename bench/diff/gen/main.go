// Command gen writes a pair of texts for the diff benchmarks: OUT/old.txt
// and OUT/new.txt, the second with a tenth of the provisions edited word by
// word (see package gendoc).
//
//	go run ./bench/diff/gen -provisions 300 -out /tmp/150k
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"chancery/bench/diff/gendoc"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	n := fs.Int("provisions", 300, "number of provisions (300 ≈ 150 KB, 10000 ≈ 5 MB)")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", ".", "directory to write old.txt and new.txt to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("-provisions must be at least 1")
	}
	old, edited := gendoc.Pair(*n, *seed)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "old.txt"), []byte(old), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*out, "new.txt"), []byte(edited), 0o644)
}
