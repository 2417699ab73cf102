package demo

import (
	"sort"

	"example.org/jiti/internal/ledger"
)

// Detail accounts (明细科目) the demo's vouchers post to. Codes mean the same
// in every village, so that a county can map them to statistical lines; each
// village gets those its books use.
const (
	acctBank = "10201"

	acctRent     = "50101"
	acctService  = "50102"
	acctSales    = "50103"
	acctContract = "50104"
	// 50105 合作经营收入 and 50202 资产入股收益 (registers.go)
	acctDividend = "50201"
	acctSubsidy  = "50301"
	acctInterest = "50401"
	acctOtherInc = "50402"

	acctServiceCost       = "51101"
	acctCostOfSales       = "51102"
	acctLeaseDepreciation = "51103"
	acctUpkeep            = "51104"

	acctCadrePay           = "51301"
	acctOffice             = "51302"
	acctTravel             = "51303"
	acctUtilities          = "51304"
	acctOfficeDepreciation = "51305"

	acctRoads               = "51401"
	acctSanitation          = "51402"
	acctRelief              = "51403"
	acctWelfareDepreciation = "51404"
)

// First-level accounts the demo posts to directly.
const (
	acctCash            = ledger.AcctCash
	acctBio             = "132"
	acctBioDepreciation = "133"
	acctWelfareBio      = "134"
	acctProductionCost  = "401"
	acctInternal        = ledger.AcctInternal
	acctMaterials       = "121"
	acctLivestock       = "131"
	acctInvestments     = "141"
	acctFixed           = ledger.AcctFixedAssets
	acctDepreciation    = ledger.AcctAccumDepreciation
	acctConstruction    = "153"
	acctPayables        = "211"
	acctWages           = "212"
	acctEarmarked       = "241"
	acctCapital         = "301"
	acctFund            = "311"
	acctOtherExpense    = "515"
	acctRetained        = ledger.AcctUndistributed
)

// detailNames names the detail accounts.
var detailNames = map[string]string{
	acctBank:                "会宁农商银行基本户",
	acctRent:                "租赁收入",
	acctService:             "服务收入",
	acctSales:               "销售收入",
	acctContract:            "发包收入",
	acctCooperation:         "合作经营收入",
	acctAssetEquity:         "资产入股收益",
	acctDividend:            "股权分红",
	acctSubsidy:             "财政补助",
	acctInterest:            "利息收入",
	acctOtherInc:            "其他",
	acctServiceCost:         "服务成本",
	acctCostOfSales:         "销售成本",
	acctLeaseDepreciation:   "经营资产折旧",
	acctUpkeep:              "维修费",
	acctCadrePay:            "干部报酬",
	acctOffice:              "办公费",
	acctTravel:              "差旅费",
	acctUtilities:           "水电费",
	acctOfficeDepreciation:  "折旧费",
	acctRoads:               "公益设施维护",
	acctSanitation:          "环境卫生整治",
	acctRelief:              "困难群众慰问",
	acctWelfareDepreciation: "公益设施折旧",
}

// detailAccounts returns, in code order, the detail accounts that the
// vouchers and opening balances of a village use.
func detailAccounts(vs []*ledger.Voucher, opening []string) []string {
	used := map[string]bool{}
	for _, code := range opening {
		if _, ok := detailNames[code]; ok {
			used[code] = true
		}
	}
	for _, v := range vs {
		for _, l := range v.Lines {
			if _, ok := detailNames[l.Account]; ok {
				used[l.Account] = true
			}
		}
	}
	out := make([]string, 0, len(used))
	for code := range used {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}
