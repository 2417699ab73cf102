package register_test

import (
	"encoding/json"
	"errors"
	"testing"

	"example.org/jiti/internal/register"
)

func TestParseArea(t *testing.T) {
	good := []struct {
		in   string
		want register.Area
		str  string
	}{
		{"12.5", 1250, "12.50"},
		{"0.75", 75, "0.75"},
		{"300", 30000, "300.00"},
		{" 007.05 ", 705, "7.05"},
		{"0", 0, "0.00"},
		{"10000000", register.MaxArea, "10000000.00"},
	}
	for _, tt := range good {
		got, err := register.ParseArea(tt.in)
		if err != nil || got != tt.want || got.String() != tt.str {
			t.Errorf("ParseArea(%q) = %v (%q), %v; want %v (%q)", tt.in, int64(got), got.String(), err, int64(tt.want), tt.str)
		}
	}
	for _, in := range []string{"", "-1", "-0.5", "1.234", "1.", ".5", "1e3", "12,5", "1,000", "abc", "1.2.3", "+3", "10000000.01", "99999999999"} {
		if got, err := register.ParseArea(in); !errors.Is(err, register.ErrAreaSyntax) {
			t.Errorf("ParseArea(%q) = %v, %v; want ErrAreaSyntax", in, got, err)
		}
	}
}

func TestAreaJSON(t *testing.T) {
	s := register.Subject{ResourceID: 3, Area: 1250}
	b, err := json.Marshal(s)
	if err != nil || string(b) != `{"resource_id":3,"area":"12.50"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	if b, _ := json.Marshal(register.Subject{AssetID: 1}); string(b) != `{"asset_id":1}` {
		t.Errorf("zero area not omitted: %s", b)
	}
	for in, want := range map[string]register.Area{`"12.50"`: 1250, `12.5`: 1250, `"0.75"`: 75, `null`: 0, `""`: 0} {
		var a register.Area
		if err := json.Unmarshal([]byte(in), &a); err != nil || a != want {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", in, a, err, want)
		}
	}
	for _, in := range []string{`"1.234"`, `-1`, `"x"`, `1e2`, `true`} {
		var a register.Area
		if err := json.Unmarshal([]byte(in), &a); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", in, a)
		}
	}
}
