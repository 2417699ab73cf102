package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"example.org/jiti/internal/locale"
)

// Keys the pages translate: in templates ({{.T "web.signin"}}, {{$.T
// "web.x" ...}}) and in the package's Go code (st.p.T("web.x")).
var (
	templateKey = regexp.MustCompile(`\.(?:T|Label) "([a-z_][a-z0-9_.-]*)"`)
	goKey       = regexp.MustCompile(`\.(?:T|Label)\("([a-z_][a-z0-9_.-]*[a-z0-9_])"\s*[,)]`) // not prefixes: "asset.use."+x
)

// TestCatalog_PageKeys checks that every key a template or handler names
// literally is in both catalogs, so no page shows a raw key in either
// language, and that every template parses with the layout.
func TestCatalog_PageKeys(t *testing.T) {
	printers := map[locale.Lang]*locale.Printer{}
	for _, l := range locale.Langs {
		printers[l] = locale.New(l)
	}
	checked := 0
	check := func(where, key string) {
		checked++
		for l, p := range printers {
			if !p.Has(key) {
				t.Errorf("%s: key %q is not in the %s catalog", where, key, l)
			}
		}
	}
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			check(path, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			check(f, m[1])
		}
	}
	if checked < 150 {
		t.Errorf("only %d keys found in the pages: the patterns miss them", checked)
	}
	p, err := loadPages()
	if err != nil {
		t.Fatalf("templates: %v", err)
	}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	if want := len(names) - 2; len(p.byName) != want { // layout and parts are no pages
		t.Errorf("%d pages parsed, want %d", len(p.byName), want)
	}
}
