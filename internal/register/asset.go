package register

import (
	"example.org/jiti"
)

// AssetCategory is the kind of an asset.
type AssetCategory string

// Asset categories.
const (
	Building      AssetCategory = "building"       // 房屋及建筑物
	Structure     AssetCategory = "structure"      // 构筑物（水利设施、道路、晒场…）
	Machinery     AssetCategory = "machinery"      // 机械设备
	Vehicle       AssetCategory = "vehicle"        // 运输工具
	Equipment     AssetCategory = "equipment"      // 电子设备、办公设备、仪器
	ProductiveBio AssetCategory = "productive_bio" // 生产性生物资产（果树、役畜、种畜）
	WelfareBio    AssetCategory = "welfare_bio"    // 公益性生物资产（防风固沙林…）: not depreciated
	Intangible    AssetCategory = "intangible"     // 无形资产: amortized
	OtherAsset    AssetCategory = "other"          // 其他
)

// AssetCategories lists the categories in display order.
var AssetCategories = []AssetCategory{Building, Structure, Machinery, Vehicle, Equipment, ProductiveBio, WelfareBio, Intangible, OtherAsset}

// Nature says whether an asset earns income (经营性) or serves the public
// (非经营性), as the asset inventory (清产核资) classifies it.
type Nature string

// Natures.
const (
	Operating    Nature = "operating"     // 经营性
	NonOperating Nature = "non_operating" // 非经营性
)

// Use decides where an asset's depreciation is charged: production and
// services to 401 生产(劳务)成本, management to 513 管理费用, public
// welfare to 514 公益支出.
type Use string

// Uses.
const (
	ForProduction Use = "production"
	ForManagement Use = "management"
	ForWelfare    Use = "welfare"
)

// Method is a depreciation method.
type Method string

// Depreciation methods.
const (
	StraightLine   Method = "straight_line" // 年限平均法
	UnitsOfWork    Method = "units"         // 工作量法
	NoDepreciation Method = "none"          // land rights with no term, public-welfare biological assets
)

// Source is how an asset came to the collective.
type Source string

// Sources.
const (
	Purchase      Source = "purchase"       // 购入
	Construction  Source = "construction"   // 自建（在建工程转入）
	FiscalProject Source = "fiscal_project" // 财政项目形成
	Donation      Source = "donation"       // 接受捐赠
	TransferIn    Source = "transfer_in"    // 上级或其他单位划入
	Existing      Source = "existing"       // on the books before they moved into jiti (in the opening balances)
)

// Status is what an asset is doing now.
type Status string

// Asset statuses. Leased out, invested and cooperating assets earn income
// from others; self-operated ones earn it directly.
const (
	InUse        Status = "in_use"        // 在用（集体自用）
	SelfOperated Status = "self_operated" // 自营
	LeasedOut    Status = "leased_out"    // 出租
	Invested     Status = "invested"      // 入股
	Cooperating  Status = "cooperating"   // 合作经营
	Idle         Status = "idle"          // 闲置
	Disposed     Status = "disposed"      // 已处置
)

// Earns reports whether an asset in status s earns income: being put in
// such a status after being idle is "revitalization" (盘活).
func (s Status) Earns() bool {
	switch s {
	case SelfOperated, LeasedOut, Invested, Cooperating:
		return true
	}
	return false
}

// Asset is an entry of the asset register (资产台账).
type Asset struct {
	ID           int64         `json:"id"`
	CollectiveID int64         `json:"collective_id"`
	Code         string        `json:"code"` // unique in the collective, e.g. ZC-2025-001
	Name         string        `json:"name"`
	Category     AssetCategory `json:"category"`
	Nature       Nature        `json:"nature"`
	Use          Use           `json:"use"`
	Quantity     string        `json:"quantity,omitempty"` // decimal text, e.g. "1" or "350.5"
	Unit         string        `json:"unit,omitempty"`     // 台, 间, 平方米, 亩…
	Location     string        `json:"location,omitempty"`
	AcquiredOn   jiti.Date     `json:"acquired_on"`
	Source       Source        `json:"source"`
	Cost         jiti.Amount   `json:"cost"` // original value 原值
	Method       Method        `json:"method"`
	LifeMonths   int           `json:"life_months,omitempty"`   // useful life, straight-line
	ResidualRate int           `json:"residual_rate,omitempty"` // in basis points: 500 is 5 %
	TotalWork    int64         `json:"total_work,omitempty"`    // units method: total units over the life
	WorkUnit     string        `json:"work_unit,omitempty"`     // 公里, 小时…
	// Depreciation before the books moved into jiti (Source Existing).
	OpeningDepreciation jiti.Amount `json:"opening_depreciation,omitempty"`
	OpeningMonths       int         `json:"opening_months,omitempty"`
	// The ledger accounts the asset uses: where its cost sits (151, 132,
	// 161 or a leaf under them), its accumulated depreciation (152, 133,
	// 162) and its depreciation expense (401, 513, 514, by Use).
	CostAccount    string `json:"cost_account"`
	DepAccount     string `json:"dep_account,omitempty"`
	ExpenseAccount string `json:"expense_account,omitempty"`

	Status      Status    `json:"status"`
	StatusSince jiti.Date `json:"status_since"`
	DisposedOn  jiti.Date `json:"disposed_on,omitzero"`
	VoucherID   int64     `json:"voucher_id,omitempty"` // the voucher that brought it onto the books
	Note        string    `json:"note,omitempty"`
}

// StatusChange is one dated entry of an asset's history.
type StatusChange struct {
	AssetID  int64     `json:"asset_id"`
	Date     jiti.Date `json:"date"`
	From     Status    `json:"from,omitempty"`
	To       Status    `json:"to"`
	Contract int64     `json:"contract_id,omitempty"` // the contract that caused it, if one did
	Note     string    `json:"note,omitempty"`
}
