package models

import "testing"

func TestCodeWords(t *testing.T) {
	for in, want := range map[string]string{
		"ENGLAND": "England", "full_walkout": "Full walkout", "walkout_emergency_cover": "Walkout with emergency cover",
		"resident_doctors": "Resident doctors", "strike_round": "Strike round", "appointments_rescheduled": "Appointments rescheduled",
		"ballot_result": "Ballot result", "E54000027": "E54000027", "": "",
	} {
		if got := CodeWords(in); got != want {
			t.Errorf("CodeWords(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"spc_rebase": "SPC rebase point", "action_type": "Action type", "dispute_id": "Dispute"} {
		if got := FieldWords(in); got != want {
			t.Errorf("FieldWords(%q) = %q, want %q", in, got, want)
		}
	}
}
