package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/cli"
	"chancery/render"
)

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
	files, err := cli.ParseArgs(fs, args)
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
	if !drafts.ValidLanguage(doc.Language) { // en, ru, kk, zh-Hans...
		return cli.Usagef("--language: %q is not a language tag such as en or ru", doc.Language)
	}
	if doc.Title == "" {
		doc.Title = filepath.Base(files[0])
	}
	now := time.Now().UTC()
	r, err := newRenderer(*fallback, "--fallback-font", *forum)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if *against == "" {
		t, err := cli.ReadText(files[0])
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
		old, nw, d, err := cli.DiffFiles(&diffing.Differ{}, *against, files[0])
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

// newRenderer returns the PDF renderer, with the fallback font file if one
// is configured and the forum's name if one is given. fontSetting names
// the fallback font's setting in an error, as the program takes it.
func newRenderer(fallback, fontSetting, forum string) (*render.Renderer, error) {
	var opts []render.Option
	if fallback != "" {
		ttf, err := os.ReadFile(fallback)
		if err != nil {
			return nil, cli.Usagef("%s: %v", fontSetting, err)
		}
		opts = append(opts, render.WithFallbackFont(ttf))
	}
	r := render.New(opts...)
	if err := r.Err(); err != nil {
		return nil, cli.Usagef("%s: %s", fontSetting, drafts.ErrorMessage(err))
	}
	if forum == "" {
		return r, nil
	}
	r = render.New(append(opts, render.WithForum(forum))...)
	if err := r.Err(); err != nil {
		return nil, cli.Usagef("CHANCERY_FORUM_NAME / --forum-name: %s", drafts.ErrorMessage(err))
	}
	return r, nil
}
