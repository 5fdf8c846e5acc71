package main

import (
	"bufio"
	"bytes"
	"flag"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"chancery/internal/cli"
	"chancery/service"
)

// DefaultMemoryLimitMB is the soft memory limit of a server whose memory
// no cgroup limits, with the default cache: the peak a server should stay
// under (issue 28). A larger cache (--cache-mb) raises it as much.
const DefaultMemoryLimitMB = 256

// memoryLimitAuto is Config.MemoryLimitMB when the limit is to be found
// at start (from the cgroup, else DefaultMemoryLimitMB).
const memoryLimitAuto = -1

// memoryLimitFlag registers --memory-limit-mb on fs and returns the check
// that sets *mb after parsing.
func memoryLimitFlag(fs *flag.FlagSet, env func(name, def string) string, mb *int) func() error {
	v := fs.String("memory-limit-mb", env("CHANCERY_MEMORY_LIMIT_MB", "auto"), "soft memory limit of the Go runtime in megabytes (MiB): near it, memory is collected more often; \"auto\" for 90% of the cgroup's limit, or without one "+strconv.Itoa(DefaultMemoryLimitMB)+" plus what --cache-mb exceeds its default by; 0 for none; GOMEMLIMIT, if set, wins (CHANCERY_MEMORY_LIMIT_MB)")
	return func() error {
		if *v == "auto" {
			*mb = memoryLimitAuto
			return nil
		}
		n, err := strconv.Atoi(*v)
		if err != nil || n < 0 || n > 1<<30 {
			return cli.Usagef("CHANCERY_MEMORY_LIMIT_MB / --memory-limit-mb: %q is not a number of megabytes, or auto", *v)
		}
		*mb = n
		return nil
	}
}

// memoryLimit is the soft memory limit to set, in bytes (0 for none), and
// what it comes from, for configured megabytes mb (memoryLimitAuto to
// find it) and a cache of cacheMB: GOMEMLIMIT in the environment
// (getenv) wins, as the Go runtime read it at start, and is left as it
// is (ok false).
func memoryLimit(mb, cacheMB int, getenv func(string) string, readFile func(string) ([]byte, error)) (limit int64, from string, ok bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, "GOMEMLIMIT", false
	}
	if mb != memoryLimitAuto {
		return int64(mb) << 20, "CHANCERY_MEMORY_LIMIT_MB", true
	}
	if cg, found := cgroupMemoryLimit(readFile); found {
		return cg / 10 * 9, "cgroup", true
	}
	extra := max(0, cacheMB-service.DefaultCacheBytes>>20)
	return int64(DefaultMemoryLimitMB+extra) << 20, "default", true
}

// setMemoryLimit sets the Go runtime's soft memory limit as memoryLimit
// says, and returns it (the runtime's, in bytes) and what it comes from.
func setMemoryLimit(mb, cacheMB int, getenv func(string) string) (int64, string) {
	limit, from, ok := memoryLimit(mb, cacheMB, getenv, os.ReadFile)
	if !ok {
		return debug.SetMemoryLimit(-1), from
	}
	if limit == 0 {
		limit = math.MaxInt64 // none: the runtime's own default
	}
	debug.SetMemoryLimit(limit)
	return limit, from
}

// cgroupMemoryLimit returns the memory limit of this process's cgroup (v2
// memory.max, or v1 memory.limit_in_bytes), if it has one, reading files
// with readFile.
func cgroupMemoryLimit(readFile func(string) ([]byte, error)) (int64, bool) {
	var paths []string
	if data, err := readFile("/proc/self/cgroup"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			// "0::/path" (v2), or "4:memory:/path" (v1).
			parts := strings.SplitN(sc.Text(), ":", 3)
			switch {
			case len(parts) < 3:
			case parts[0] == "0" && parts[1] == "":
				paths = append(paths, "/sys/fs/cgroup"+parts[2]+"/memory.max")
			case strings.Contains(","+parts[1]+",", ",memory,"):
				paths = append(paths, "/sys/fs/cgroup/memory"+parts[2]+"/memory.limit_in_bytes")
			}
		}
	}
	// In a container the process's cgroup is the root of what it sees.
	paths = append(paths, "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
	for _, p := range paths {
		data, err := readFile(strings.ReplaceAll(p, "//", "/"))
		if err != nil {
			continue
		}
		s := strings.TrimSpace(string(data))
		if s == "max" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		if n >= 1<<60 { // v1 says "no limit" with a huge number
			return 0, false
		}
		return n, true
	}
	return 0, false
}
