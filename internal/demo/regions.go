package demo

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"

	"example.org/jiti"
)

//go:embed huining.csv
var huiningCSV string

// CountyCode is the division code of Huining County.
const CountyCode = "620422"

// generatedMark ends the name of a village whose real name is unknown.
const generatedMark = "（生成）"

// Regions returns the region tree of Huining County from the embedded
// huining.csv: 甘肃省 (62), 白银市 (6204), 会宁县, its 28 townships and 284 villages,
// parents before children, in file order. Village codes are derived (see the
// package documentation); the file is data, so a correction is a data change.
func Regions() []jiti.Region {
	r := csv.NewReader(strings.NewReader(huiningCSV))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("demo: huining.csv: %v", err))
	}
	out := make([]jiti.Region, 0, len(recs))
	for i, rec := range recs {
		if i == 0 {
			continue // the header
		}
		reg, err := jiti.NewRegion(rec[0], rec[1])
		if err != nil {
			panic(fmt.Sprintf("demo: huining.csv row %d: %v", i+1, err))
		}
		out = append(out, reg)
	}
	return out
}

// township is a township of the county with its villages, in file order.
type township struct {
	jiti.Region
	Villages []jiti.Region
}

// townships groups the villages of Regions under their townships.
func townships() []township {
	var out []township
	index := map[string]int{}
	for _, r := range Regions() {
		switch r.Level {
		case jiti.Township:
			index[r.Code] = len(out)
			out = append(out, township{Region: r})
		case jiti.Village:
			i, ok := index[r.Parent]
			if !ok {
				panic("demo: huining.csv: village " + r.Code + " before its township")
			}
			out[i].Villages = append(out[i].Villages, r)
		}
	}
	return out
}

// shortName returns a village's name without the generated mark, for
// composing the names of its collective and counterparties.
func shortName(name string) string {
	return strings.TrimSuffix(name, generatedMark)
}

// collectiveName returns the name of the village's collective economic
// organization; a generated village name keeps its mark at the end.
func collectiveName(village string) string {
	if strings.HasSuffix(village, generatedMark) {
		return shortName(village) + "股份经济合作社" + generatedMark
	}
	return village + "股份经济合作社"
}
