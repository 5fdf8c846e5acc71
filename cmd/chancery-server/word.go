package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/cli"
)

// runImport prints the text of a Word file in Chancery's markup, ready to
// check, edit or send as JSON: "chancery import draft.docx > draft.txt".
// Printing, not posting, keeps the tool free of server addresses and
// tokens; the server takes the .docx itself on the same routes. With
// tracked changes, the text with every change accepted is printed
// (--original: every change rejected), and a note on stderr says so.
func runImport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("chancery import", flag.ContinueOnError)
	original := fs.Bool("original", false, "print the text with every tracked change rejected")
	files, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return cli.Usagef("import needs one file: chancery import [--original] FILE.docx")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	f, err := docx.New(docx.WithLimits(64<<20, 0, 0), docx.WithTextLimits(cli.TextLimits)).ReadWord(data)
	if err != nil {
		return fmt.Errorf("%s: %s", files[0], drafts.ErrorMessage(err))
	}
	text, n := f.Text(), len(f.Edited)
	if *original {
		text, n = f.OriginalText(), len(f.Original)
	}
	if f.Tracked {
		which := "accepted"
		if *original {
			which = "rejected"
		}
		fmt.Fprintf(stderr, "%s: tracked changes by %s, printed with every change %s (%d provisions)\n", files[0], strings.Join(f.Authors, ", "), which, n)
	}
	if f.Template != "" {
		fmt.Fprintf(stderr, "%s: made from the template %s (not fetched)\n", files[0], f.Template)
	}
	if notes := f.CommentNotes(); notes != "" {
		fmt.Fprintf(stderr, "%s: comments:\n%s\n", files[0], notes)
	}
	_, err = io.WriteString(stdout, text)
	return err
}

// wordRenderer is the Word writer of chancery render --format docx.
func wordRenderer() drafts.WordWriter { return docx.New() }
