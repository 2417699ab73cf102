package demo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti/internal/register"
)

// TestContractsFollowRegister checks the demo's contracts against the
// register's rules: every contract's term ends where register.AddMonths
// says, and the schedule the demo plans its receipts on is
// register.Schedule's, instalment by instalment.
func TestContractsFollowRegister(t *testing.T) {
	_, hs := histories(t, 1, span{2024, 2025})
	n := 0
	for _, h := range hs {
		for _, pc := range h.Contracts {
			if pc.C.Amount == 0 {
				continue
			}
			if end := register.AddMonths(pc.C.Start, pc.months).AddDays(-1); pc.C.End != end {
				t.Fatalf("%s %s: ends %s, the register says %s", h.V.Region.Code, pc.C.Name, pc.C.End, end)
			}
			want, err := register.Schedule(&pc.C)
			if err != nil {
				t.Fatalf("%s %s: %v", h.V.Region.Code, pc.C.Name, err)
			}
			if len(pc.insts) != len(want) {
				t.Fatalf("%s %s: %d instalments, the register's schedule %d", h.V.Region.Code, pc.C.Name, len(pc.insts), len(want))
			}
			for i, in := range pc.insts {
				w := want[i]
				if in.No != w.No || in.DueOn != w.DueOn || in.From != w.From || in.To != w.To || in.Amount != w.Amount {
					t.Fatalf("%s %s: instalment %+v, the register's %+v", h.V.Region.Code, pc.C.Name, in, w)
				}
			}
			for _, r := range pc.Receipts {
				var income, deferred = r.Income, r.Deferred
				for _, p := range r.Parts {
					income -= p.Split.Income
					deferred -= p.Split.Deferred
				}
				if income != 0 || deferred != 0 || len(r.Parts) == 0 {
					t.Fatalf("%s %s: receipt %s books %s and %s, its parts differ", h.V.Region.Code, pc.C.Name, r.Date, r.Income, r.Deferred)
				}
			}
			n++
		}
	}
	if n < 500 {
		t.Errorf("only %d contracts checked", n)
	}
}

// TestNoCopiesOfRules keeps the demo from growing its own copies of the
// register's and posting's rules again: month arithmetic, frequencies,
// the pricing of rents with escalation, exact rational arithmetic.
func TestNoCopiesOfRules(t *testing.T) {
	banned := map[string]string{"addMonths": "register.AddMonths", "freqMonths": "Frequency.Months",
		"withRent": "register.AmountForRent"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if imp.Path.Value == `"math/big"` {
				t.Errorf("%s imports math/big: exact arithmetic of schedules belongs to package register", name)
			}
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil {
				if use, bad := banned[fn.Name.Name]; bad {
					t.Errorf("%s declares %s: use %s", name, fn.Name.Name, use)
				}
			}
		}
	}
}
