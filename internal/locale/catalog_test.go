package locale_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

// readCatalog reads a catalog file as it is on disk, failing on a key given
// twice: encoding/json would silently keep the last one, and a reviewer would
// read the first.
func readCatalog(t *testing.T, l locale.Lang) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("catalogs", string(l)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: not a JSON object: %v", l, err)
	}
	m := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		key := tok.(string)
		var msg string
		if err := dec.Decode(&msg); err != nil {
			t.Fatalf("%s: %q: the message must be a string: %v", l, key, err)
		}
		if _, dup := m[key]; dup {
			t.Errorf("%s: key %q given twice", l, key)
		}
		m[key] = msg
	}
	return m
}

func TestCatalogsHaveSameKeys(t *testing.T) {
	zh, en := readCatalog(t, locale.ZH), readCatalog(t, locale.EN)
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in zh-CN.json but not in en.json", k)
		}
	}
	for k := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("key %q is in en.json but not in zh-CN.json", k)
		}
	}
}

func TestCatalogsNoEmptyMessages(t *testing.T) {
	for _, l := range locale.Langs {
		for k, msg := range readCatalog(t, l) {
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s: %q has an empty message", l, k)
			}
		}
	}
}

// verb matches a fmt verb with its optional argument index, flags, width and
// precision.
var verb = regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*\d*(\.\d+)?(.)`)

// argIndexes returns the argument indexes a message uses, and a complaint
// about any verb that is not an explicitly indexed %v or %d (or %%).
func argIndexes(msg string) (idx []string, bad []string) {
	for _, m := range verb.FindAllStringSubmatch(msg, -1) {
		switch {
		case m[0] == "%%":
		case m[2] == "":
			bad = append(bad, m[0]+" has no argument index: write %[1]v so translations may reorder")
		case m[4] != "v" && m[4] != "d":
			bad = append(bad, m[0]+" is not %v or %d")
		default:
			if !slices.Contains(idx, m[2]) {
				idx = append(idx, m[2])
			}
		}
	}
	slices.Sort(idx)
	return idx, bad
}

func TestCatalogsArgumentIndexes(t *testing.T) {
	zh, en := readCatalog(t, locale.ZH), readCatalog(t, locale.EN)
	for k, zmsg := range zh {
		zi, zbad := argIndexes(zmsg)
		ei, ebad := argIndexes(en[k])
		for _, b := range zbad {
			t.Errorf("zh-CN %q: %s", k, b)
		}
		for _, b := range ebad {
			t.Errorf("en %q: %s", k, b)
		}
		if _, ok := en[k]; ok && !slices.Equal(zi, ei) {
			t.Errorf("%q uses arguments %v in zh-CN but %v in en", k, zi, ei)
		}
	}
}

// TestCatalogsFormat fills every message with arguments and checks that fmt
// has nothing to complain about, and that the embedded catalogs are the
// files on disk.
func TestCatalogsFormat(t *testing.T) {
	args := []any{1, 2, 3, 4, 5, 6, 7, 8, 9}
	for _, l := range locale.Langs {
		p := locale.New(l)
		for k, msg := range readCatalog(t, l) {
			got := p.T(k, args...)
			if strings.Contains(got, "%!") {
				t.Errorf("%s: T(%q) = %q: bad format", l, k, got)
			}
			if !strings.Contains(msg, "%") && got != msg {
				t.Errorf("%s: T(%q) = %q, want the catalog's %q", l, k, got, msg)
			}
		}
	}
}

func TestKindsHaveNames(t *testing.T) {
	zh := readCatalog(t, locale.ZH)
	// Up to the first number without a name: every kind there is.
	for k := jiti.Internal; !strings.HasPrefix(k.String(), "kind("); k++ {
		if _, ok := zh["kind."+k.String()]; !ok {
			t.Errorf("no message for kind.%s", k)
		}
	}
}

// moduleRoot returns the directory of the module's go.mod, above the
// package's directory where tests run.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if !bytes.Contains(b, []byte("module example.org/jiti\n")) {
				t.Fatalf("%s/go.mod is not the jiti module", dir)
			}
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// sources calls fn with the path and content of every non-test Go file of
// the module, skipping testdata, hidden and vendored directories and nested
// modules.
func sources(t *testing.T, fn func(path, src string)) {
	t.Helper()
	root := moduleRoot(t)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path == root {
				return nil
			}
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fn(rel, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// errorKey matches jiti.Errorf(jiti.Invalid, "voucher.unbalanced") in any
// package and Errorf(Invalid, "amount.syntax") in package jiti, also when
// the call is split over lines.
var errorKey = regexp.MustCompile(`\bErrorf\(\s*(?:jiti\.)?[A-Z]\w*\s*,\s*"([^"\\]+)"`)

// TestErrorKeysTranslated finds every error key of the module in its
// sources and checks that both catalogs have it. An engineer who adds an
// error sees this test fail until the message is written in both languages.
func TestErrorKeysTranslated(t *testing.T) {
	cats := map[locale.Lang]map[string]string{}
	for _, l := range locale.Langs {
		cats[l] = readCatalog(t, l)
	}
	found := 0
	sources(t, func(path, src string) {
		for _, m := range errorKey.FindAllStringSubmatch(src, -1) {
			found++
			for _, l := range locale.Langs {
				if _, ok := cats[l][m[1]]; !ok {
					t.Errorf("%s: error key %q has no message in catalogs/%s.json", path, m[1], l)
				}
			}
		}
	})
	// The scan itself must keep working: the module had 67 keys when this
	// test was written.
	if found < 60 {
		t.Errorf("found only %d error keys: is the pattern still right?", found)
	}
}

// Field paths in the sources: literal ones, .At("lines") and
// .At("books_opened_on"); built ones, .At(fmt.Sprintf("lines[%d].formula",
// i+1)); and suffixes, .At(at + ".code").
var (
	fieldPath     = regexp.MustCompile(`\.At\("([a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])?)*)"\)`)
	fieldSprintf  = regexp.MustCompile(`Sprintf\("([a-z_][a-z0-9_]*)\[%d\]((?:\.[a-z_][a-z0-9_]*)*)"`)
	fieldConcat   = regexp.MustCompile(`\.At\(\w+\s*\+\s*"\.([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)"\)`)
	rawIndexedSeg = regexp.MustCompile(`\[\d+\]`)
)

// TestFieldLabels checks that every field the module names in an error has a
// label in both catalogs, and every list a label for its items, so no user
// reads a Go field name.
func TestFieldLabels(t *testing.T) {
	cats := map[locale.Lang]map[string]string{}
	for _, l := range locale.Langs {
		cats[l] = readCatalog(t, l)
	}
	sources(t, func(path, src string) {
		if !strings.Contains(src, `"example.org/jiti"`) && !strings.HasPrefix(src, "package jiti") &&
			!strings.Contains(src, "\npackage jiti\n") {
			return
		}
		var paths []string
		for _, m := range fieldPath.FindAllStringSubmatch(src, -1) {
			paths = append(paths, m[1])
		}
		for _, m := range fieldSprintf.FindAllStringSubmatch(src, -1) {
			paths = append(paths, m[1]+"[1]"+m[2])
		}
		for _, m := range fieldConcat.FindAllStringSubmatch(src, -1) {
			paths = append(paths, m[1])
		}
		for _, fp := range paths {
			for _, l := range locale.Langs {
				for _, seg := range strings.Split(fp, ".") {
					name, _, _ := strings.Cut(seg, "[")
					if _, ok := cats[l]["field."+name]; !ok {
						t.Errorf("%s: field %q has no label field.%s in catalogs/%s.json", path, fp, name, l)
					}
				}
				if got := locale.New(l).Field(fp); rawIndexedSeg.MatchString(got) {
					t.Errorf("%s: %s Field(%q) = %q: the list's items need a label (field.<singular> or field.<list>.item)", path, l, fp, got)
				}
			}
		}
	})
}

// messageKey matches a literal catalog key of the command line and the
// reports: "cmd.report_stats", "flag.year", "cli.stat_year",
// "report.col.sum" …; keys built from a prefix ("report.meta.unit_" + u)
// end in a separator and are left out.
var messageKey = regexp.MustCompile(`"((?:cmd|flag|cli|report\.(?:col|title|meta|row|tier))\.[a-z0-9_.]*[a-z0-9])"`)

// TestMessageKeysTranslated checks that every literal message key in the
// sources is in both catalogs, so no user reads a key instead of a text.
func TestMessageKeysTranslated(t *testing.T) {
	cats := map[locale.Lang]map[string]string{}
	for _, l := range locale.Langs {
		cats[l] = readCatalog(t, l)
	}
	found := 0
	sources(t, func(path, src string) {
		for _, m := range messageKey.FindAllStringSubmatch(src, -1) {
			found++
			for _, l := range locale.Langs {
				if _, ok := cats[l][m[1]]; !ok {
					t.Errorf("%s: message key %q is not in catalogs/%s.json", path, m[1], l)
				}
			}
		}
	})
	if found < 100 {
		t.Errorf("found only %d message keys: is the pattern still right?", found)
	}
}
