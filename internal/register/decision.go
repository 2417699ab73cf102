package register

// DecisionKind is what a decision under 四议两公开 decides (governance.md).
type DecisionKind string

// Kinds of decisions.
const (
	DecideDistribution DecisionKind = "distribution" // 收益分配
	DecideContract     DecisionKind = "contract"     // 发包、出租、入股、合作
	DecideDisposal     DecisionKind = "disposal"     // 资产处置
	DecideBorrowing    DecisionKind = "borrowing"    // 举债
	DecideProject      DecisionKind = "project"      // 项目
	DecideMembership   DecisionKind = "membership"   // 成员确认、退出、丧失
	DecideOther        DecisionKind = "other"        // 其他
)

// DecisionKinds lists the kinds in the order forms offer them.
var DecisionKinds = []DecisionKind{DecideDistribution, DecideContract, DecideDisposal, DecideBorrowing,
	DecideProject, DecideMembership, DecideOther}

// DecisionStatus is where a decision stands: open while its steps are
// recorded, adopted once its resolution (step 4) has passed, failed when a
// step did not pass, which stops it there.
type DecisionStatus string

// Statuses of a decision.
const (
	DecisionOpen    DecisionStatus = "open"
	DecisionAdopted DecisionStatus = "adopted"
	DecisionFailed  DecisionStatus = "failed"
)
