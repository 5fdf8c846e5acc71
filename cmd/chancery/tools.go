package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/cli"
	"chancery/render"
)

// parseArgs parses a tool's flags, which may come before or after its
// file arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := cli.ParseFlags(fs, args, os.Stderr); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// textLimits admit any text a person would diff or print.
var textLimits = drafts.Limits{MaxBytes: 64 << 20, MaxProvisions: 1 << 20}

// readText reads and parses a text file; ids are assigned in order.
func readText(path string) (*drafts.Text, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	t, err := drafts.ParseText(data, textLimits)
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

// diffFiles aligns NEW to OLD, as the server does with a whole edited
// text, and diffs them provision by provision.
func diffFiles(differ *diffing.Differ, oldPath, newPath string) (*drafts.Text, *drafts.Text, *drafts.Diff, error) {
	// Parse large files at once, where parsing is half the work; small ones
	// one after the other, as a second thread would cost more than it saves.
	var nw *drafts.Text
	var nerr error
	readNew := func() { nw, nerr = readText(newPath) }
	var wg sync.WaitGroup
	if size(oldPath)+size(newPath) < 4<<20 {
		readNew()
	} else {
		wg.Go(readNew)
	}
	old, err := readText(oldPath)
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

func runDiff(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("chancery diff", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text, json or html")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		return cli.Usagef("diff needs two files: chancery diff [--format text|json|html] OLD.txt NEW.txt")
	}
	_, _, d, err := diffFiles(&diffing.Differ{}, files[0], files[1])
	if err != nil {
		return err
	}
	r := render.New()
	w := bufio.NewWriterSize(stdout, 16<<10)
	switch *format {
	case "text":
		err = r.DiffText(w, d)
	case "html":
		err = r.DiffHTML(w, d)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(d)
	default:
		return cli.Usagef("--format: %q is not text, json or html", *format)
	}
	if err != nil {
		return err
	}
	err = w.Flush()
	return err
}

// languageTag is what --language takes: en, ru, kk, zh-Hans...
var languageTag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`) })

func runRender(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("chancery render", flag.ContinueOnError)
	out := fs.String("o", "", "output PDF file")
	against := fs.String("against", "", "older text: print the tracked changes from it")
	symbol := fs.String("symbol", "", "document symbol for the header")
	fallback := fs.String("fallback-font", "", "TrueType font for characters the built-in fonts lack")
	title := fs.String("title", "", "document title (default: the file's name)")
	language := fs.String("language", "en", "language of the text, for the labels: en or ru (others print in English)")
	body := fs.String("body", "", "owning body, e.g. SWG, under the forum's name")
	forum := fs.String("forum-name", os.Getenv("CHANCERY_FORUM_NAME"), "forum name in the page header (CHANCERY_FORUM_NAME; default: the forum's name in the text's language)")
	format := fs.String("format", "pdf", "output format: pdf or docx (Word, tracked changes as revisions)")
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *format != "pdf" && *format != "docx" {
		return cli.Usagef("--format: %q is not pdf or docx", *format)
	}
	if len(files) != 1 || *out == "" {
		return cli.Usagef("render needs one text and -o: chancery render [--against OLD.txt] [--title T] [--symbol S] [--language en|ru] [--format pdf|docx] TEXT.txt -o OUT.pdf")
	}
	doc := &drafts.Document{Symbol: *symbol, Title: *title, Body: *body, Language: *language, State: drafts.StateDrafting}
	if !languageTag().MatchString(doc.Language) {
		return cli.Usagef("--language: %q is not a language tag such as en or ru", doc.Language)
	}
	if doc.Title == "" {
		doc.Title = files[0]
	}
	now := time.Now().UTC()
	r, err := cli.NewRenderer(*fallback, "--fallback-font", *forum)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if *against == "" {
		t, err := readText(files[0])
		if err != nil {
			return err
		}
		v := &drafts.Version{Number: 1, Lead: t.Lead, Provisions: t.Provisions, CreatedAt: now}
		v.Hash = drafts.HashText(v.Text())
		if *format == "docx" {
			err = wordRenderer().TextWord(&buf, doc, v, nil)
		} else {
			err = r.AgreedPDF(&buf, doc, v, nil)
		}
		if err != nil {
			return err
		}
	} else {
		old, nw, d, err := diffFiles(&diffing.Differ{}, *against, files[0])
		if err != nil {
			return err
		}
		from := &drafts.Version{Number: 1, Lead: old.Lead, Provisions: old.Provisions, CreatedAt: now}
		to := &drafts.Version{Number: 2, Parent: 1, Lead: nw.Lead, Provisions: nw.Provisions, CreatedAt: now}
		from.Hash, to.Hash = drafts.HashText(from.Text()), drafts.HashText(to.Text())
		write := r.ChangesPDF
		if *format == "docx" {
			write = wordRenderer().ChangesWord
		}
		if err := write(&buf, doc, from, to, d); err != nil {
			return err
		}
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", *out, buf.Len())
	return nil
}
