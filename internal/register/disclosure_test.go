package register

import (
	"testing"

	"example.org/jiti"
)

func TestDisclosuresDue(t *testing.T) {
	p := jiti.MustPeriod
	opened := jiti.MustDate("2024-07-01")
	covered := map[jiti.Period]bool{p("2025-01"): true, p("2025-02"): true, p("2025-03"): true, // Q1 published
		p("2025-04"): true, p("2025-05"): true} // Q2 lacks June
	// 2025-10-31: Q3 ended 31 days ago, past its grace.
	ws := DisclosuresDue(7, opened, covered, jiti.MustDate("2025-10-31"))
	var got []string
	for _, w := range ws {
		got = append(got, w.Detail)
		if w.Kind != WarnNoDisclosure || w.CollectiveID != 7 {
			t.Errorf("warning %+v", w)
		}
	}
	if want := "2025Q3 2025Q2 2024Q4"; join(got) != want {
		t.Errorf("due on 2025-10-31: %v, want %s", got, want)
	}
	if ws[0].Days != 31 || ws[0].Date != jiti.MustDate("2025-09-30") {
		t.Errorf("Q3: %+v", ws[0])
	}
	// 2025-10-30: Q3 is within its grace; the books opened mid-2024 (Q3 2024 comes in).
	ws = DisclosuresDue(7, opened, covered, jiti.MustDate("2025-10-30"))
	got = nil
	for _, w := range ws {
		got = append(got, w.Detail)
	}
	if want := "2025Q2 2024Q4 2024Q3"; join(got) != want {
		t.Errorf("due on 2025-10-30: %v, want %s", got, want)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
