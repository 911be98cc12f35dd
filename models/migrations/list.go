package migrations

// list is the ordered schema history. Append only: never edit, renumber or
// reorder a migration that has shipped (there is no version 9). A
// new migration is one file, NNNN_name.go, holding its snapshot structs
// and its Up function (func(tx *gorm.DB, b Backend) error, using only this
// package: execAll, execAllArgs, its own copies of any list or helper, never
// package models), and one line at the end of this list.
var list = []Migration{
	{1, "events, sources and history", migrateEvents},
	{2, "users and api tokens", migrateUsers},
	{3, "sessions and login attempts", migrateSessions},
	{4, "activity data and imports", migrateActivity},
	{5, "api token roles", migrateTokenRoles},
	{6, "impact overrides on events", migrateImpactOverrides},
	{7, "activity tables by month, source lines, no ICB rollup", migratePartitions},
	{8, "day ranges of imports", migrateImportRanges},
	{10, "event text widths, import commit order", migrateLimitsAndCommitOrder},
	{11, "editorial states and the published register", migratePublication},
	{12, "announcement, recovery and slice on events; stored impact results", migrateImpactSlices},
	{13, "spc rebase mark on events", migrateSPCRebase},
	{14, "stable keys of imported events", migrateImportKey},
	{15, "monthly, coverage, overview, role, duration and OC day-time tables; area months", migrateNHSFiles},
	{16, "cache state row kept by triggers", migrateCacheState},
}
