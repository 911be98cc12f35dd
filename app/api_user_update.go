package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

type userUpdateRequest struct {
	Role     *models.Role `json:"role"`
	Disabled *bool        `json:"disabled"`
}

// apiUpdateUser changes an account's role or disabled flag (admins only).
// Disabling ends the user's sessions and its tokens stop working at once.
// An admin cannot disable or demote themself, so the last admin cannot
// lock everyone out by mistake.
func (s *Server) apiUpdateUser(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req userUpdateRequest
	if err := decodeStrict(c.Body(), &req); err != nil {
		return err
	}
	if me := currentUser(c); me.ID == id {
		if req.Disabled != nil && *req.Disabled {
			return &models.ValidationError{Fields: map[string]string{"disabled": "you cannot disable your own account"}}
		}
		if req.Role != nil && *req.Role != models.RoleAdmin {
			return &models.ValidationError{Fields: map[string]string{"role": "you cannot remove your own admin role"}}
		}
	}
	u, err := s.store.ChangeUser(c.UserContext(), id, models.UserChange{Role: req.Role, Disabled: req.Disabled})
	if err != nil {
		return err
	}
	s.log.Info("user changed", "request_id", c.Locals("requestid"), "by", actor(c), "user", u.Email, "role", u.Role, "disabled", u.Disabled)
	return c.JSON(viewUser(*u))
}
