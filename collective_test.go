package jiti_test

import (
	"errors"
	"strings"
	"testing"

	"example.org/jiti"
)

// usccCheck computes the check character of the first 17 characters of a
// unified social credit code from GB 32100-2015 itself, independently of
// jiti: the code alphabet is the digits and the capital letters without I, O,
// S, V and Z; the weight of position i (from 1) is 3^(i-1) mod 31; the check
// value is 31 − (Σ value×weight mod 31), with 31 written as 0.
func usccCheck(t *testing.T, first17 string) byte {
	t.Helper()
	var alphabet []byte
	for c := byte('0'); c <= '9'; c++ {
		alphabet = append(alphabet, c)
	}
	for c := byte('A'); c <= 'Z'; c++ {
		if !strings.ContainsRune("IOSVZ", rune(c)) {
			alphabet = append(alphabet, c)
		}
	}
	if len(alphabet) != 31 || len(first17) != 17 {
		t.Fatalf("bad test input %q", first17)
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(string(alphabet), first17[i])
		if v < 0 {
			t.Fatalf("bad test input %q", first17)
		}
		sum += v * w
		w = w * 3 % 31
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return alphabet[c]
}

func TestValidUSCC(t *testing.T) {
	// Codes as they appear on certificates: companies (91…), public
	// institutions (12…) and rural collective economic organizations
	// registered by agricultural departments (N1 group, N2 village,
	// N3 township), whose characters 3–8 are the county's division code.
	prefixes := []string{
		"91350100M000100Y4", // the sample of many GB 32100 write-ups
		"91110000802100433",
		"12100000400000000",
		"N2110101MF0000012",
		"N1330110MF1234567",
		"N3420102MF00000A8",
		"N2440305MF000001Y",
		"N2510104MF000000K", // check character 0 (the 31 → 0 case)
		"N2510104MF000000X", // check character Y, the last of the alphabet
	}
	// The independent computation agrees with codes checked by hand.
	for code, want := range map[string]byte{"91350100M000100Y4": '3', "N2510104MF000000K": '0', "N2510104MF000000X": 'Y'} {
		if got := usccCheck(t, code); got != want {
			t.Fatalf("usccCheck(%s) = %c, want %c", code, got, want)
		}
	}

	type tc struct {
		name string
		in   string
		want bool
	}
	var tests []tc
	for _, p := range prefixes {
		c := usccCheck(t, p)
		tests = append(tests, tc{"valid " + p, p + string(c), true})
		// Every other check character is wrong.
		wrong := byte('0')
		if c == '0' {
			wrong = '1'
		}
		tests = append(tests, tc{"wrong check " + p, p + string(wrong), false})
		tests = append(tests, tc{"lower case " + p, strings.ToLower(p + string(c)), strings.ToLower(p+string(c)) == p+string(c)})
	}
	valid := "91350100M000100Y43"
	tests = append(tests,
		tc{"empty", "", false},
		tc{"17 chars", valid[:17], false},
		tc{"19 chars", valid + "0", false},
		tc{"swapped digits", "91351000M000100Y43", false},
		tc{"letter I", "91350100I000100Y43", false},
		tc{"letter O", "91350100O000100Y43", false},
		tc{"letter S", "91350100S000100Y43", false},
		tc{"letter V", "91350100V000100Y43", false},
		tc{"letter Z", "91350100Z000100Y43", false},
		tc{"check letter outside alphabet", valid[:17] + "Z", false},
		tc{"space", "91350100 000100Y43", false},
		tc{"full-width", "９1350100M000100Y43", false},
		tc{"18 letters of nothing", strings.Repeat("-", 18), false},
		tc{"all zeros", strings.Repeat("0", 18), true}, // Σ = 0 gives check 0
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jiti.ValidUSCC(tt.in); got != tt.want {
				t.Errorf("ValidUSCC(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func validCollective() jiti.Collective {
	return jiti.Collective{
		Code:          "110101001001",
		Name:          "东华门村股份经济合作社",
		USCC:          "N2110101MF00000126",
		RegionCode:    "110101001001",
		Level:         jiti.LevelVillage,
		ChartStandard: jiti.Chart2023,
		BooksOpenedOn: date(2024, 1, 1),
	}
}

func TestCollectiveValidate(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(c *jiti.Collective)
		wantErr   error
		wantField string
	}{
		{name: "valid village", edit: func(c *jiti.Collective) {}},
		{name: "valid group on a village region", edit: func(c *jiti.Collective) {
			c.Level, c.Code = jiti.LevelGroup, "110101001001-03"
		}},
		{name: "valid township", edit: func(c *jiti.Collective) {
			c.Level, c.RegionCode, c.Code = jiti.LevelTownship, "110101001", "110101001"
		}},
		{name: "no USCC is fine", edit: func(c *jiti.Collective) { c.USCC = "" }},
		{name: "name required", edit: func(c *jiti.Collective) { c.Name = "" },
			wantErr: jiti.ErrRequired, wantField: "name"},
		{name: "name 100 runes", edit: func(c *jiti.Collective) { c.Name = strings.Repeat("村", 100) }},
		{name: "name too long", edit: func(c *jiti.Collective) { c.Name = strings.Repeat("村", 101) },
			wantErr: jiti.ErrTooLong, wantField: "name"},
		{name: "code required", edit: func(c *jiti.Collective) { c.Code = "" },
			wantErr: jiti.ErrRequired, wantField: "code"},
		{name: "code with a space", edit: func(c *jiti.Collective) { c.Code = "1101 01" },
			wantErr: jiti.ErrCollectiveCode, wantField: "code"},
		{name: "code with a comma", edit: func(c *jiti.Collective) { c.Code = "1101,01" },
			wantErr: jiti.ErrCollectiveCode, wantField: "code"},
		{name: "code too long", edit: func(c *jiti.Collective) { c.Code = strings.Repeat("1", 41) },
			wantErr: jiti.ErrCollectiveCode, wantField: "code"},
		{name: "bad USCC check", edit: func(c *jiti.Collective) { c.USCC = "N2110101MF00000127" },
			wantErr: jiti.ErrUSCC, wantField: "uscc"},
		{name: "region required", edit: func(c *jiti.Collective) { c.RegionCode = "" },
			wantErr: jiti.ErrRequired, wantField: "region"},
		{name: "chart 2004 refused", edit: func(c *jiti.Collective) { c.ChartStandard = "2004" },
			wantErr: jiti.ErrChartStandard, wantField: "chart"},
		{name: "books opened required", edit: func(c *jiti.Collective) { c.BooksOpenedOn = jiti.Date{} },
			wantErr: jiti.ErrRequired, wantField: "books_opened_on"},
		{name: "village on a township region", edit: func(c *jiti.Collective) { c.RegionCode = "110101001" },
			wantErr: jiti.ErrLevelRegion, wantField: "region"},
		{name: "village on a county region", edit: func(c *jiti.Collective) { c.RegionCode = "110101" },
			wantErr: jiti.ErrLevelRegion, wantField: "region"},
		{name: "group on a township region", edit: func(c *jiti.Collective) {
			c.Level, c.RegionCode = jiti.LevelGroup, "110101001"
		}, wantErr: jiti.ErrLevelRegion, wantField: "region"},
		{name: "township on a village region", edit: func(c *jiti.Collective) { c.Level = jiti.LevelTownship },
			wantErr: jiti.ErrLevelRegion, wantField: "region"},
		{name: "township on a malformed region", edit: func(c *jiti.Collective) {
			c.Level, c.RegionCode = jiti.LevelTownship, "11010100x"
		}, wantErr: jiti.ErrLevelRegion, wantField: "region"},
		{name: "unknown level", edit: func(c *jiti.Collective) { c.Level = "county" },
			wantErr: jiti.ErrCollectiveLevel, wantField: "level"},
		{name: "empty level", edit: func(c *jiti.Collective) { c.Level = "" },
			wantErr: jiti.ErrCollectiveLevel, wantField: "level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCollective()
			tt.edit(&c)
			err := c.Validate()
			checkErr(t, err, tt.wantErr, tt.wantField)
		})
	}
}

func TestCollectiveNormalize(t *testing.T) {
	c := jiti.Collective{Name: " 村 ", USCC: " n2110101mf00000126 ", RegionCode: " 110101001001 ", Level: jiti.LevelVillage}
	c.Normalize()
	if c.Name != "村" || c.USCC != "N2110101MF00000126" || c.RegionCode != "110101001001" {
		t.Errorf("Normalize did not trim: %+v", c)
	}
	if c.Code != "110101001001" {
		t.Errorf("Code = %q, want the region code", c.Code)
	}
	if c.ChartStandard != jiti.Chart2023 {
		t.Errorf("ChartStandard = %q", c.ChartStandard)
	}
	g := jiti.Collective{RegionCode: "110101001001", Level: jiti.LevelGroup}
	g.Normalize()
	if g.Code != "" {
		t.Errorf("a group's code = %q; must not default to the village's", g.Code)
	}
}

// checkErr checks that err matches want (nil for success) by errors.Is and
// names field.
func checkErr(t *testing.T, err, want error, field string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
	if got := jiti.FieldOf(err); got != field {
		t.Errorf("field = %q, want %q", got, field)
	}
}
