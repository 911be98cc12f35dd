package holidays

// resetCache empties the per-year cache so a test sees it filled from cold.
func resetCache() {
	mu.Lock()
	byYear = map[int]map[key]string{}
	mu.Unlock()
}
