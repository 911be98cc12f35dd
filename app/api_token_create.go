package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

type tokenRequest struct {
	Name string      `json:"name"`
	Role models.Role `json:"role"`
}

// apiCreateToken issues a token for the signed-in user. Its role defaults
// to, and may not exceed, the role the request acts with: a request made
// with an analyst token cannot mint a planner token even if the user is an
// admin.
func (s *Server) apiCreateToken(c *fiber.Ctx) error {
	var req tokenRequest
	if err := decodeStrict(c.Body(), &req); err != nil {
		return err
	}
	u := currentUser(c)
	if req.Role == "" {
		req.Role = u.Role
	}
	if req.Role.Valid() && !u.Role.Allows(req.Role) {
		return &models.ValidationError{Fields: map[string]string{"role": "must not exceed your role (" + string(u.Role) + ")"}}
	}
	plain, t, err := s.store.CreateScopedToken(c.UserContext(), u.ID, req.Name, req.Role)
	if err != nil {
		return err
	}
	c.Location("/api/v1/tokens/" + strconv.FormatInt(t.ID, 10))
	// The plain token appears in this response only; it is not stored,
	// and no cache may keep it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": plain, "item": viewToken(*t)})
}
