package cli_test

import (
	"strings"
	"testing"
)

// TestCLI_FlagMessages: what package flag says of bad flags reaches the
// user in the user's language, and a bad year asks for a year.
func TestCLI_FlagMessages(t *testing.T) {
	r := newRunner(t)
	r.env["JITI_LANG"] = "zh-CN"
	r.setup()
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"report", "stats", "-year", "abc"}, []string{"参数 -year 的值“abc”无效", "jiti report stats 的参数："}},
		{[]string{"asset", "list", "-bogus", "1"}, []string{"没有参数 -bogus", "jiti asset list 的参数："}},
		{[]string{"asset", "list", "-c"}, []string{"参数 -c 需要一个值"}},
		{[]string{"asset", "list", "x"}, []string{"多余的参数 x"}},
		{[]string{"period", "close-year", "-c", "620422100201", "-year", "20255", "-as", "kj"}, []string{"年度：“20255”不是年份，请输入年份，如2025"}},
		{[]string{"warnings", "-year", "99", "-region", "620422"}, []string{"年度：“99”不是年份，请输入年份，如2025"}},
	} {
		code, _, errs := r.run(tt.args...)
		if code == 0 {
			t.Errorf("jiti %s: exit 0", strings.Join(tt.args, " "))
		}
		for _, w := range tt.want {
			if !strings.Contains(errs, w) {
				t.Errorf("jiti %s: stderr lacks %q:\n%s", strings.Join(tt.args, " "), w, errs)
			}
		}
		for _, english := range []string{"invalid value", "flag provided", "Usage of", "needs an argument", "unexpected argument", "会计期间"} {
			if strings.Contains(errs, english) {
				t.Errorf("jiti %s: stderr says %q:\n%s", strings.Join(tt.args, " "), english, errs)
			}
		}
	}
}
