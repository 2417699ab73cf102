package locale_test

import (
	"slices"
	"testing"

	"example.org/jiti/internal/locale"
)

func TestInitials(t *testing.T) {
	for _, c := range []struct {
		name string
		want string // one of the spellings
	}{
		{"银行存款", "yhck"},
		{"库存现金", "kcxj"},
		{"应收款", "ysk"},
		{"经营收入", "jysr"},
		{"农商银行基本户", "nsyhjbh"},
		{"管理费用—办公费", "glfybgf"},
		{"10201 租赁收入", "10201zlsr"},
		{"ATM", "atm"},
	} {
		got := locale.Initials(c.name)
		if !slices.Contains(got, c.want) {
			t.Errorf("Initials(%q) = %v, want it to hold %q", c.name, got, c.want)
		}
	}
	if got := locale.Initials("—（）"); got != nil {
		t.Errorf("Initials of punctuation = %v, want none", got)
	}
	// Many characters of several readings stay bounded.
	if got := locale.Initials("行行行行行行行行行行"); len(got) > 16 || len(got) == 0 {
		t.Errorf("Initials of ten 行 = %d spellings, want 1..16", len(got))
	}
}
