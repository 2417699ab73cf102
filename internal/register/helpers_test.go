package register_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

var (
	d = jiti.MustDate
	p = jiti.MustPeriod
	y = jiti.MustAmount
)

// problemsOf flattens err into its *jiti.Error members.
func problemsOf(err error) []*jiti.Error {
	var out []*jiti.Error
	var es jiti.Errors
	switch {
	case err == nil:
	case errors.As(err, &es):
		for _, e := range es {
			out = append(out, problemsOf(e)...)
		}
	default:
		if e := jiti.AsError(err); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// describe lists the problems of err as "field: key" for messages.
func describe(err error) string {
	var s []string
	for _, e := range problemsOf(err) {
		s = append(s, e.Field+": "+e.Key)
	}
	return strings.Join(s, "; ")
}

// checkProblem checks that err is want at field, alone (want nil: no
// error).
func checkProblem(t *testing.T, err error, want *jiti.Error, field string) {
	t.Helper()
	ps := problemsOf(err)
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %s", describe(err))
		}
		return
	}
	if len(ps) != 1 {
		t.Fatalf("got %d problems (%s), want one %s at %s", len(ps), describe(err), want.Key, field)
	}
	if !errors.Is(ps[0], want) || ps[0].Field != field {
		t.Fatalf("got %s, want %s at %s", describe(err), want.Key, field)
	}
}

// hasProblem reports whether err holds want at field.
func hasProblem(err error, want *jiti.Error, field string) bool {
	return slices.ContainsFunc(problemsOf(err), func(e *jiti.Error) bool { return e.Key == want.Key && e.Field == field })
}

// tractor returns a valid purchased machine: 100,000.01 yuan over 37
// months with a 3 % residual, acquired 2025-03-15.
func tractor() *register.Asset {
	a := &register.Asset{ID: 7, CollectiveID: 1, Code: "ZC-2025-001", Name: "拖拉机", Category: register.Machinery,
		Nature: register.Operating, Use: register.ForProduction, Quantity: "1", Unit: "台", AcquiredOn: d("2025-03-15"),
		Source: register.Purchase, Cost: y("100000.01"), LifeMonths: 37, ResidualRate: 300}
	a.Normalize()
	return a
}
