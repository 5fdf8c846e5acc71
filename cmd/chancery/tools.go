package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"io"

	"chancery/diffing"
	"chancery/internal/cli"
	"chancery/render/tracked"
)

func runDiff(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("chancery diff", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text, json or html")
	files, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		return cli.Usagef("diff needs two files: chancery diff [--format text|json|html] OLD.txt NEW.txt")
	}
	_, _, d, err := cli.DiffFiles(&diffing.Differ{}, files[0], files[1])
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(stdout, 16<<10)
	switch *format {
	case "text":
		err = tracked.Text(w, d)
	case "html":
		err = tracked.HTML(w, d)
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
	return w.Flush()
}
