// Command testreport reads `go test -json` on stdin and prints what a
// person watching CI needs: a line per package as it finishes, the output
// of every failing test, and at the end every skipped test with its
// reason, so that a skip cannot hide among thousands of passes. It exits 1
// when a test or a build failed, and also when tests were skipped and
// -no-skips is given (CI gives it: there, everything must run).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of test2json's output.
type event struct {
	Time    time.Time
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type key struct{ pkg, test string }

func main() {
	noSkips := flag.Bool("no-skips", false, "fail when any test was skipped")
	flag.Parse()
	os.Exit(run(os.Stdin, os.Stdout, *noSkips))
}

func run(in io.Reader, out io.Writer, noSkips bool) int {
	output := map[key][]string{}
	var skipped, failed []key
	failedPkgs := 0
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not test2json: a build error printed by go itself.
			fmt.Fprintln(out, sc.Text())
			continue
		}
		k := key{e.Package, e.Test}
		switch e.Action {
		case "output":
			output[k] = append(output[k], e.Output)
		case "build-output":
			// A package that does not compile: go's own messages.
			fmt.Fprint(out, e.Output)
		case "skip":
			if e.Test != "" {
				skipped = append(skipped, k)
			} else {
				fmt.Fprintf(out, "?   \t%s\t[no test files]\n", e.Package)
			}
		case "fail":
			if e.Test != "" {
				failed = append(failed, k)
				continue
			}
			failedPkgs++
			for _, f := range failed {
				if f.pkg == e.Package {
					fmt.Fprint(out, strings.Join(output[f], ""))
				}
			}
			// The package's own lines: build errors, panics outside a test.
			fmt.Fprint(out, strings.Join(output[k], ""))
			fmt.Fprintf(out, "FAIL\t%s\t%.1fs\n", e.Package, e.Elapsed)
		case "pass":
			if e.Test == "" {
				fmt.Fprintf(out, "ok  \t%s\t%.1fs\n", e.Package, e.Elapsed)
			}
		}
		if e.Action == "pass" || e.Action == "fail" {
			if e.Test == "" {
				// Done with the package: keep only what the summary needs.
				for k := range output {
					if k.pkg == e.Package && !isSkipped(skipped, k) {
						delete(output, k)
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(out, "testreport:", err)
		return 1
	}
	sort.Slice(skipped, func(i, j int) bool {
		if skipped[i].pkg != skipped[j].pkg {
			return skipped[i].pkg < skipped[j].pkg
		}
		return skipped[i].test < skipped[j].test
	})
	fmt.Fprintf(out, "\nskipped tests: %d\n", len(skipped))
	for _, k := range skipped {
		fmt.Fprintf(out, "  %s %s: %s\n", k.pkg, k.test, reason(output[k]))
	}
	switch {
	case failedPkgs > 0 || len(failed) > 0:
		fmt.Fprintf(out, "FAIL: %d tests in %d packages\n", len(failed), failedPkgs)
		return 1
	case noSkips && len(skipped) > 0:
		fmt.Fprintln(out, "FAIL: tests were skipped, and here everything must run")
		return 1
	}
	return 0
}

func isSkipped(skipped []key, k key) bool {
	for _, s := range skipped {
		if s == k {
			return true
		}
	}
	return false
}

// reason returns the message a skipped test gave (its t.Skip line).
func reason(lines []string) string {
	var msgs []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		msgs = append(msgs, l)
	}
	if len(msgs) == 0 {
		return "(no reason given)"
	}
	return strings.Join(msgs, " ")
}
