// Command chancery is the Chancery server and its command-line tools:
//
//	chancery serve [flags]             run the HTTP server
//	chancery admin token --user ID     a new token, directly on the storage
//	chancery diff OLD.txt NEW.txt      tracked diff of two texts
//	chancery render TEXT.txt -o OUT.pdf [--against OLD.txt] [--format docx]
//	chancery import FILE.docx          print a Word file's text as markup
//
// Configuration comes from flags and CHANCERY_* environment variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"chancery/drafts"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a configuration or usage mistake: one line, exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// parseFlags parses args with fs. A mistake is one usage error saying how
// to list the flags (the flag package's own line and flag list would say
// it twice, far above the line that counts); -h lists them on stderr and
// returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stderr, "Usage of %s:\n", fs.Name())
		fs.PrintDefaults()
		return err
	}
	return usagef("%v (%s -h lists the flags)", err, fs.Name())
}

const usage = `usage:
  chancery serve [flags]                       run the server (chancery serve -h for flags)
  chancery admin token --user ID [flags]       issue a new token directly on the storage (chancery admin -h)
  chancery diff [--format text|json|html] OLD.txt NEW.txt
  chancery render [--against OLD.txt] [--format pdf|docx] TEXT.txt -o OUT.pdf
  chancery import [--original] FILE.docx      print a Word file's text as markup
`

// run executes one command and returns the process exit code: 0, 1 for a
// failure, 2 for a usage or configuration error. Errors are one line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		m := NewMain(stdout, stderr)
		if err = m.ParseFlags(args[1:], os.Getenv); err == nil {
			err = m.Run(ctx)
			if cerr := m.Close(); err == nil {
				err = cerr
			}
		}
	case "admin":
		err = runAdmin(ctx, args[1:], os.Getenv, stdout, stderr)
	case "diff":
		err = runDiff(args[1:], stdout)
	case "render":
		err = runRender(args[1:], stdout)
	case "import":
		err = runImport(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usagef("unknown command %q (serve, admin, diff, render or import)", args[0])
	}
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "chancery: %s\n", oneLine(err))
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func oneLine(err error) string {
	msg := err.Error()
	// A domain error prints as "chancery: <code>: <message>"; the line
	// already starts with "chancery: ", so keep only its message.
	if e := drafts.AsError(err); e != nil && e.Code != drafts.EINTERNAL {
		msg = strings.Replace(msg, e.Error(), drafts.ErrorMessage(e), 1)
	}
	b := []byte(msg)
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}
