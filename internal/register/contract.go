package register

import "example.org/jiti"

// ContractKind is the kind of a contract.
type ContractKind string

// Contract kinds.
const (
	Lease       ContractKind = "lease"       // 租赁（资产出租）
	Contracting ContractKind = "contracting" // 发包（资源承包）
	Equity      ContractKind = "equity"      // 入股
	Cooperation ContractKind = "cooperation" // 合作经营
	Service     ContractKind = "service"     // 服务
	Procurement ContractKind = "purchase"    // 采购
)

// ContractKinds lists the kinds in display order.
var ContractKinds = []ContractKind{Lease, Contracting, Equity, Cooperation, Service, Procurement}

// Frequency is how often a contract's instalments fall due.
type Frequency string

// Frequencies.
const (
	Once       Frequency = "once"        // 一次性
	Yearly     Frequency = "yearly"      // 按年
	HalfYearly Frequency = "half_yearly" // 按半年
	Quarterly  Frequency = "quarterly"   // 按季
	Monthly    Frequency = "monthly"     // 按月
)

// Award is how a contract was awarded.
type Award string

// Award methods.
const (
	OpenBidding Award = "open_bidding" // 公开竞价、招标（产权交易）
	Negotiation Award = "negotiation"  // 协商
)

// ContractStatus is the state of a contract: draft → in force → expired
// or terminated.
type ContractStatus string

// Contract states.
const (
	ContractDraft ContractStatus = "draft"
	InForce       ContractStatus = "in_force"
	Expired       ContractStatus = "expired"
	Terminated    ContractStatus = "terminated"
)

// PartyKind says whether a counterparty is a person or a unit.
type PartyKind string

// Party kinds.
const (
	Person PartyKind = "person"
	Unit   PartyKind = "unit"
)

// Party is a contract's counterparty. A person's ID number is sensitive:
// it is stored protected and only ever shown masked (IDNumber.String).
type Party struct {
	Kind     PartyKind     `json:"kind"`
	Name     string        `json:"name"`
	IDNumber jiti.IDNumber `json:"id_number,omitzero"` // a person's 身份证号
	USCC     string        `json:"uscc,omitempty"`     // a unit's 统一社会信用代码
	Phone    string        `json:"phone,omitempty"`
}

// Subject is what a contract is about: an asset, or a resource (all of it,
// or part of its area).
type Subject struct {
	AssetID    int64 `json:"asset_id,omitempty"`
	ResourceID int64 `json:"resource_id,omitempty"`
	Area       Area  `json:"area,omitempty"` // of a resource; 0 means all of it
}

// Contract is an entry of the contract register (合同台账).
type Contract struct {
	ID           int64        `json:"id"`
	CollectiveID int64        `json:"collective_id"`
	Code         string       `json:"code"` // unique in the collective, e.g. HT-2025-003
	Name         string       `json:"name"`
	Kind         ContractKind `json:"kind"`
	Party        Party        `json:"party"`
	Subjects     []Subject    `json:"subjects,omitempty"`
	Start        jiti.Date    `json:"start"`
	End          jiti.Date    `json:"end"`    // inclusive
	Amount       jiti.Amount  `json:"amount"` // the whole contract's value over its term
	Frequency    Frequency    `json:"frequency"`
	Escalation   int          `json:"escalation,omitempty"` // yearly increase in basis points: 300 is 3 %
	Deposit      jiti.Amount  `json:"deposit,omitempty"`    // 保证金, held in 211 and refunded
	// Accrue books each instalment as a receivable (Dr 112) when it falls
	// due; otherwise income is booked when received.
	Accrue        bool           `json:"accrue,omitempty"`
	IncomeAccount string         `json:"income_account"` // a leaf under 501 or 502
	Award         Award          `json:"award"`
	AwardRef      string         `json:"award_ref,omitempty"`      // the bidding's reference at the exchange
	ResolutionRef string         `json:"resolution_ref,omitempty"` // the number of its 四议两公开 decision (free text before migration 16)
	Status        ContractStatus `json:"status"`
	SignedOn      jiti.Date      `json:"signed_on,omitzero"`
	EndedOn       jiti.Date      `json:"ended_on,omitzero"` // expired or terminated
	Note          string         `json:"note,omitempty"`
	// DecisionID is the adopted decision ResolutionRef names, set by the
	// store when it checks the reference; 0 when there is none.
	DecisionID int64 `json:"decision_id,omitempty"`
}

// Instalment is one due amount of a contract's schedule of receivables. It
// covers the months From..To (its term share); its income is income of
// those months' years.
type Instalment struct {
	ContractID int64       `json:"contract_id"`
	No         int         `json:"no"`
	DueOn      jiti.Date   `json:"due_on"`
	From       jiti.Date   `json:"from"`
	To         jiti.Date   `json:"to"`
	Amount     jiti.Amount `json:"amount"`
	Received   jiti.Amount `json:"received"`
	Accrued    bool        `json:"accrued,omitempty"` // booked as a receivable (Accrue contracts)
}

// Outstanding returns what is still to be received of the instalment.
func (i *Instalment) Outstanding() jiti.Amount { return i.Amount - i.Received }
