package cli

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"

	"chancery/diffing"
	"chancery/drafts"
)

// ParseArgs parses a tool's flags, which may come before or after its
// file arguments.
func ParseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := ParseFlags(fs, args, os.Stderr); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// TextLimits admit any text a person would diff or print.
var TextLimits = drafts.Limits{MaxBytes: 64 << 20, MaxProvisions: 1 << 20}

// ReadText reads and parses a text file; ids are assigned in order.
func ReadText(path string) (*drafts.Text, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	t, err := drafts.ParseText(data, TextLimits)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, drafts.ErrorMessage(err))
	}
	for i := range t.Provisions {
		t.Provisions[i].ID = "p" + strconv.Itoa(i+1)
	}
	return t, nil
}

// size is the size of a file, 0 if it cannot be told.
func size(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// DiffFiles aligns NEW to OLD, as the server does with a whole edited
// text, and diffs them provision by provision.
func DiffFiles(differ *diffing.Differ, oldPath, newPath string) (*drafts.Text, *drafts.Text, *drafts.Diff, error) {
	// Parse large files at once, where parsing is half the work; small ones
	// one after the other, as a second thread would cost more than it saves.
	var nw *drafts.Text
	var nerr error
	readNew := func() { nw, nerr = ReadText(newPath) }
	var wg sync.WaitGroup
	if size(oldPath)+size(newPath) < 4<<20 {
		readNew()
	} else {
		wg.Go(readNew)
	}
	old, err := ReadText(oldPath)
	wg.Wait()
	if err != nil {
		return nil, nil, nil, err
	}
	if nerr != nil {
		return nil, nil, nil, nerr
	}
	match := differ.Align(old.Provisions, nw.Provisions)
	next := len(old.Provisions)
	for i := range nw.Provisions {
		if j := match[i]; j >= 0 {
			nw.Provisions[i].ID = old.Provisions[j].ID
		} else {
			next++
			nw.Provisions[i].ID = "p" + strconv.Itoa(next)
		}
	}
	return old, nw, differ.Provisions(old.Provisions, nw.Provisions), nil
}
