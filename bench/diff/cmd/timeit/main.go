// Command timeit times whole processes: each command given (one argument
// each, split at spaces) runs once to warm the page cache, then REPS times,
// the commands taking turns, and the median wall time of each is printed
// in milliseconds, one line per command, in the order given. Output goes
// to /dev/null; an exit code of 0 or 1 (diff's "the files differ") is a
// run, any other a failure.
//
//	timeit [-reps 9] "git diff --no-index a b" "chancery diff a b"
//
// It replaces timing with date(1) around each command in bench/diff/run.sh,
// whose forks added a millisecond or two to every figure.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	reps := flag.Int("reps", 9, "runs of each command")
	flag.Parse()
	if flag.NArg() == 0 || *reps < 1 {
		fmt.Fprintln(os.Stderr, "usage: timeit [-reps N] COMMAND...")
		os.Exit(2)
	}
	cmds := make([][]string, flag.NArg())
	for i, c := range flag.Args() {
		cmds[i] = strings.Fields(c)
	}
	times := make([][]time.Duration, len(cmds))
	for r := -1; r < *reps; r++ {
		for i, c := range cmds {
			d, err := run(c)
			if err != nil {
				fmt.Fprintf(os.Stderr, "timeit: %s: %v\n", strings.Join(c, " "), err)
				os.Exit(1)
			}
			if r >= 0 {
				times[i] = append(times[i], d)
			}
		}
	}
	for _, ts := range times {
		slices.Sort(ts)
		m := ts[len(ts)/2]
		if len(ts)%2 == 0 {
			m = (ts[len(ts)/2-1] + m) / 2
		}
		fmt.Printf("%.2f\n", float64(m.Microseconds())/1000)
	}
}

// run runs one command and returns its wall time, from start to exit.
func run(c []string) (time.Duration, error) {
	cmd := exec.Command(c[0], c[1:]...)
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		err = nil
	}
	return d, err
}
