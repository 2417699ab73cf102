package jiti_test

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// allowedImports is the dependency rule of the packages: each may import
// only those listed (of the module's own packages). Pure packages sit low;
// nothing below store knows SQL, nothing imports cli but the command.
var allowedImports = map[string][]string{
	".":                        {},
	"internal/ledger":          {"."},
	"internal/locale":          {"."},
	"internal/sheet":           {".", "internal/ledger", "internal/locale", "internal/report"},
	"internal/auth":            {"."},
	"internal/report":          {".", "internal/ledger", "internal/locale", "internal/register"},
	"internal/register":        {".", "internal/ledger"},
	"internal/posting":         {".", "internal/ledger", "internal/register"},
	"internal/disclose":        {".", "internal/ledger", "internal/register"},
	"internal/store":           {".", "internal/ledger", "internal/report", "internal/locale", "internal/register", "internal/posting", "internal/auth", "internal/disclose"},
	"internal/store/storetest": {".", "internal/ledger", "internal/store"},
	"internal/demo":            {".", "internal/ledger", "internal/register", "internal/posting", "internal/store", "internal/disclose"},
	"internal/cli":             {".", "internal/ledger", "internal/locale", "internal/report", "internal/sheet", "internal/store", "internal/demo", "internal/register", "internal/auth", "internal/web", "internal/disclose"},
	"internal/chart":           {},
	"internal/web":             {".", "internal/ledger", "internal/locale", "internal/report", "internal/register", "internal/sheet", "internal/store", "internal/chart", "internal/auth", "internal/disclose"},
	"cmd/jiti":                 {"internal/cli"},
	"scripts/testreport":       {}, // reads go test -json: the standard library only
}

// TestLayout enforces the import rules above on the non-test files of every
// package, so the layout described in the README stays true.
func TestLayout(t *testing.T) {
	const module = "example.org/jiti"
	for dir, allowed := range allowedImports {
		pkg, err := build.ImportDir(filepath.FromSlash(dir), 0)
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		ok := map[string]bool{}
		for _, a := range allowed {
			ok[strings.TrimSuffix(module+"/"+a, "/.")] = true
		}
		var bad []string
		for _, imp := range pkg.Imports {
			if strings.HasPrefix(imp, module) && !ok[imp] {
				bad = append(bad, imp)
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s imports %v, which the layout does not allow", dir, bad)
		}
	}
}

// TestLayoutComplete makes a new package state its place in the rules.
func TestLayoutComplete(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if _, err := build.ImportDir(path, 0); err != nil {
			return nil // no Go files
		}
		if _, ok := allowedImports[filepath.ToSlash(path)]; !ok {
			t.Errorf("package %s is not in allowedImports", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
