// Command chancery is Chancery's command line:
//
//	chancery serve [flags]             run the HTTP server
//	chancery admin token --user ID     a new token, directly on the storage
//	chancery diff OLD.txt NEW.txt      tracked diff of two texts
//	chancery render TEXT.txt -o OUT.pdf [--against OLD.txt] [--format docx]
//	chancery import FILE.docx          print a Word file's text as markup
//
// diff is this program's own. The other commands are chancery-server's,
// which this program runs in its place, as git runs git-<command> and its
// remote helpers: Go initialises every package a program links before it
// runs a command, and the server's storage clients, metrics, templates and
// policy take some 9 ms to start, the PDF and Word writers (render,
// import) a third of a millisecond, where a whole diff of a 300-provision
// text takes about three. Configuration comes from flags and CHANCERY_*
// environment variables.
package main

import (
	"fmt"
	"io"
	"os"

	"chancery/internal/cli"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
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
// serve and admin do not return: chancery-server takes the process over.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve", "admin", "render", "import":
		var code int
		if code, err = runServer(args); err == nil {
			return code
		}
	case "diff":
		err = runDiff(args[1:], stdout)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = cli.Usagef("unknown command %q (serve, admin, diff, render or import)", args[0])
	}
	return cli.Exit(err, stderr)
}
