package demo

import (
	"strings"
	"testing"

	"example.org/jiti"
)

// The townships and their village counts, as the table of huining.md gives
// them.
var wantTownships = []struct {
	code, name string
	villages   int
}{
	{"620422100", "会师镇", 8}, {"620422101", "郭城驿镇", 11}, {"620422102", "河畔镇", 8},
	{"620422103", "头寨子镇", 15}, {"620422104", "太平店镇", 12}, {"620422105", "甘沟驿镇", 12},
	{"620422106", "侯家川镇", 7}, {"620422107", "柴家门镇", 11}, {"620422108", "汉家岔镇", 12},
	{"620422109", "刘家寨子镇", 12}, {"620422110", "白草塬镇", 8}, {"620422111", "大沟镇", 14},
	{"620422112", "四房吴镇", 10}, {"620422113", "中川镇", 10}, {"620422114", "老君坡镇", 13},
	{"620422115", "平头川镇", 9}, {"620422116", "丁家沟镇", 10}, {"620422117", "杨崖集镇", 12},
	{"620422118", "翟家所镇", 12}, {"620422119", "韩家集镇", 8}, {"620422120", "土门岘镇", 6},
	{"620422121", "新塬镇", 9}, {"620422122", "草滩镇", 7}, {"620422123", "新庄塬镇", 8},
	{"620422202", "新添堡回族乡", 13}, {"620422204", "党家岘乡", 10}, {"620422213", "八里湾乡", 11},
	{"620422225", "土高山乡", 6},
}

func TestRegions(t *testing.T) {
	rs := Regions()
	byCode := map[string]jiti.Region{}
	count := map[jiti.RegionLevel]int{}
	children := map[string]int{}
	namesInTown := map[string]bool{}
	for _, r := range rs {
		if _, dup := byCode[r.Code]; dup {
			t.Errorf("duplicate code %s", r.Code)
		}
		byCode[r.Code] = r
		count[r.Level]++
		if jiti.RegionLevelOf(r.Code) != r.Level || r.Parent != jiti.RegionParentCode(r.Code) {
			t.Errorf("%s: level %v parent %q do not follow the code", r.Code, r.Level, r.Parent)
		}
		if r.Level > jiti.Province {
			if _, ok := byCode[r.Parent]; !ok {
				t.Errorf("%s %s: parent %s missing or after it", r.Code, r.Name, r.Parent)
			}
		}
		if !strings.HasPrefix(r.Code, "62") {
			t.Errorf("%s: not in Gansu", r.Code)
		}
		if r.Level == jiti.Village {
			children[r.Parent]++
			if n := r.Code[9:]; n < "201" || n > "299" {
				t.Errorf("%s: village number %s outside 201–299", r.Code, n)
			}
			if want := r.Parent + fmtN(200+children[r.Parent]); r.Code != want {
				t.Errorf("%s: want %s (list order from 201)", r.Code, want)
			}
			if !strings.HasSuffix(r.Name, "村") && !strings.HasSuffix(r.Name, generatedMark) {
				t.Errorf("%s %s: village name should end in 村", r.Code, r.Name)
			}
			key := r.Parent + "/" + r.Name
			if namesInTown[key] {
				t.Errorf("%s: name %s twice in its township", r.Code, r.Name)
			}
			namesInTown[key] = true
		}
	}
	if count[jiti.Province] != 1 || count[jiti.City] != 1 || count[jiti.County] != 1 {
		t.Errorf("levels above townships: %v", count)
	}
	if byCode["62"].Name != "甘肃省" || byCode["6204"].Name != "白银市" || byCode["620422"].Name != "会宁县" {
		t.Errorf("province, city, county names wrong")
	}
	if count[jiti.Township] != 28 || count[jiti.Village] != 284 {
		t.Fatalf("townships %d villages %d, want 28 and 284", count[jiti.Township], count[jiti.Village])
	}
	for _, w := range wantTownships {
		r, ok := byCode[w.code]
		if !ok || r.Name != w.name || r.Level != jiti.Township {
			t.Errorf("township %s %s: got %+v", w.code, w.name, r)
		}
		if children[w.code] != w.villages {
			t.Errorf("%s %s: %d villages, want %d", w.code, w.name, children[w.code], w.villages)
		}
	}
	// Spot checks: names from the list, 老鸦村 in two townships, generated names.
	for code, name := range map[string]string{
		"620422100201": "南什村", "620422100208": "稍岔村", "620422103201": "老鸦村", "620422113203": "老鸦村",
		"620422204203": "杨湾村", "620422225206": "红湾村", "620422105210": "甘沟驿镇第10村（生成）",
		"620422121209": "新塬镇第9村（生成）",
	} {
		if byCode[code].Name != name {
			t.Errorf("%s = %q, want %q", code, byCode[code].Name, name)
		}
	}
	generated := 0
	for _, r := range rs {
		if strings.HasSuffix(r.Name, generatedMark) {
			generated++
		}
	}
	if generated != 4 {
		t.Errorf("%d generated names, want 4", generated)
	}
}

func fmtN(n int) string {
	return string([]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)})
}

func TestCollectiveName(t *testing.T) {
	if got := collectiveName("杨湾村"); got != "杨湾村股份经济合作社" {
		t.Errorf("got %s", got)
	}
	if got := collectiveName("新塬镇第9村（生成）"); got != "新塬镇第9村股份经济合作社（生成）" {
		t.Errorf("got %s", got)
	}
}
