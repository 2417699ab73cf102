package cli_test

import (
	"strings"
	"testing"
)

// TestCLI_DemoProvinceSignIns builds a tiny province and checks that it
// prints its sign-ins, one of each role, with the demo password, as the
// county demo does; and prints them again when the database already holds
// the province.
func TestCLI_DemoProvinceSignIns(t *testing.T) {
	r := newRunner(t)
	args := []string{"demo", "-scale", "province", "-cities", "2", "-collectives", "30", "-years", "1", "-q"}
	for i, out := range []string{r.must(args...), r.must(args...)} {
		if !strings.Contains(out, "jiti-demo-2025") {
			t.Errorf("run %d: no demo password in\n%s", i, out)
		}
		for _, name := range []string{"admin ", "ck62 ", "sj62 ", "sh62", "kj62", "sp62"} {
			if !strings.Contains(out, "\n  "+name) {
				t.Errorf("run %d: no sign-in %q in\n%s", i, name, out)
			}
		}
	}
}
