package demo

import (
	"math/rand/v2"
)

// Names in the demo are generated from common parts; any likeness to a real
// person or firm is by chance.

var (
	surnames = []string{"张", "王", "李", "刘", "杨", "陈", "赵", "马", "魏", "何", "牛", "孙", "郭", "冯", "党",
		"苟", "袁", "柴", "韩", "汪", "田", "曹", "董", "罗", "朱", "高", "谢", "雷", "焦", "蔺"}
	givenNames = []string{"建国", "志强", "永红", "玉兰", "国栋", "海军", "文斌", "俊杰", "桂英", "红霞", "继明",
		"兴旺", "世林", "德福", "成林", "彦军", "小平", "学文", "万福", "存录", "满仓", "进财", "秀兰", "来福",
		"双喜", "金花", "天明", "得胜", "生荣", "具才", "有福", "正平", "国强", "彩霞", "永祥", "福全"}
	firmWords = []string{"陇原", "丰源", "兴农", "富民", "金穗", "瑞丰", "恒达", "鑫源", "宏达", "绿源", "祥和",
		"惠农", "禾丰", "农兴", "嘉禾", "盛鑫", "德顺", "泰和", "永昌", "康源"}
)

func personName(rng *rand.Rand) string {
	return surnames[rng.IntN(len(surnames))] + givenNames[rng.IntN(len(givenNames))]
}

func firmWord(rng *rand.Rand) string { return firmWords[rng.IntN(len(firmWords))] }

// counterparty returns the other party of a village's income stream.
func counterparty(rng *rand.Rand, v *village, k streamKind) string {
	town := v.Town.Name
	oneOf := func(s ...string) string { return s[rng.IntN(len(s))] }
	switch k {
	case leaseSchool:
		return oneOf("会宁县"+v.short()+firmWord(rng)+"养殖专业合作社", "会宁县"+firmWord(rng)+"农产品加工有限公司",
			"会宁县"+firmWord(rng)+"手工艺品有限公司")
	case leaseWorkshop:
		return oneOf("会宁县"+firmWord(rng)+"服饰有限公司", "甘肃"+firmWord(rng)+"手工编织有限公司",
			"会宁县"+firmWord(rng)+"电子科技有限公司")
	case leaseWarehouse:
		return oneOf("会宁县"+firmWord(rng)+"农产品购销有限公司", "白银"+firmWord(rng)+"商贸有限公司",
			"会宁县"+firmWord(rng)+"马铃薯购销专业合作社")
	case leaseScale, leaseShops:
		return personName(rng)
	case leaseFarm:
		return oneOf("会宁县"+v.short()+firmWord(rng)+"养殖专业合作社", "会宁县"+firmWord(rng)+"家庭农场")
	case contractHill:
		return oneOf("会宁县"+firmWord(rng)+"林草开发有限公司", "会宁县"+v.short()+firmWord(rng)+"种植专业合作社")
	case serviceLabour:
		return oneOf("会宁县"+firmWord(rng)+"建筑劳务有限公司", "新疆"+firmWord(rng)+"棉业有限公司", "会宁县"+firmWord(rng)+"劳务服务有限公司")
	case serviceProperty:
		return oneOf(v.short()+"易地扶贫搬迁安置小区", town+"集中安置点业主委员会", "会宁县"+firmWord(rng)+"置业有限公司")
	case serviceRecycling:
		return "会宁县" + firmWord(rng) + "再生资源回收有限公司"
	case serviceAgri:
		return oneOf(town+"农业社会化服务中心", "会宁县"+firmWord(rng)+"农机专业合作社", v.short()+"村种植大户")
	case serviceProcurement:
		return oneOf(town+"供销合作社", "会宁县供销合作社联合社")
	case serviceProject:
		return oneOf("会宁县"+firmWord(rng)+"建设工程有限公司", town+"人民政府")
	case salesProduce:
		return oneOf("会宁县"+firmWord(rng)+"马铃薯购销专业合作社", "会宁县"+firmWord(rng)+"中药材有限公司", "白银"+firmWord(rng)+"农产品有限公司")
	case salesLivestock:
		return oneOf("会宁县"+firmWord(rng)+"肉羊屠宰有限公司", "会宁县"+firmWord(rng)+"牧业有限公司")
	case salesInputs:
		return town + "种植户"
	case salesSolar:
		return "国网会宁县供电公司"
	case equityStake:
		return oneOf("会宁县"+firmWord(rng)+"牧业有限公司", "白银"+firmWord(rng)+"农业发展有限公司",
			"会宁县"+town+"联村肉牛养殖专业合作社", "会宁县"+firmWord(rng)+"农产品冷链物流有限公司")
	}
	return ""
}

// supplier returns the party a village buys the goods of a sales stream
// from.
func supplier(rng *rand.Rand, v *village, k streamKind) string {
	switch k {
	case salesLivestock:
		return "会宁县" + firmWord(rng) + "育肥羊养殖专业合作社"
	case salesInputs:
		return "会宁县供销合作社联合社"
	}
	return "会宁县" + firmWord(rng) + "农资有限公司"
}
