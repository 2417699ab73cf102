package main

import (
	"strings"
	"testing"
)

const stream = `{"Action":"run","Package":"p/a","Test":"TestOK"}
{"Action":"output","Package":"p/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"pass","Package":"p/a","Test":"TestOK","Elapsed":0.1}
{"Action":"run","Package":"p/a","Test":"TestPG"}
{"Action":"output","Package":"p/a","Test":"TestPG","Output":"    x_test.go:9: no PostgreSQL\n"}
{"Action":"skip","Package":"p/a","Test":"TestPG","Elapsed":0}
{"Action":"pass","Package":"p/a","Elapsed":1.5}
{"Action":"run","Package":"p/b","Test":"TestBad"}
{"Action":"output","Package":"p/b","Test":"TestBad","Output":"    b_test.go:3: got 2, want 3\n"}
{"Action":"fail","Package":"p/b","Test":"TestBad","Elapsed":0}
{"Action":"fail","Package":"p/b","Elapsed":0.2}
`

func TestRun(t *testing.T) {
	var out strings.Builder
	code := run(strings.NewReader(stream), &out, false)
	got := out.String()
	if code != 1 {
		t.Errorf("exit %d with a failing test, want 1", code)
	}
	for _, want := range []string{"ok  \tp/a\t1.5s", "got 2, want 3", "FAIL\tp/b", "skipped tests: 1", "p/a TestPG: x_test.go:9: no PostgreSQL"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunNoSkips(t *testing.T) {
	passing := strings.Join(strings.Split(stream, "\n")[:7], "\n")
	var out strings.Builder
	if code := run(strings.NewReader(passing), &out, false); code != 0 {
		t.Errorf("exit %d with a skip allowed, want 0:\n%s", code, out.String())
	}
	out.Reset()
	if code := run(strings.NewReader(passing), &out, true); code != 1 || !strings.Contains(out.String(), "skipped") {
		t.Errorf("exit %d with -no-skips, want 1:\n%s", code, out.String())
	}
}
