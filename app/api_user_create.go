package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

type userCreateRequest struct {
	Email string      `json:"email"`
	Role  models.Role `json:"role"`
	// Password is optional: without one the account is token-only.
	Password string `json:"password"`
}

// apiCreateUser adds an account (admins only).
func (s *Server) apiCreateUser(c *fiber.Ctx) error {
	var req userCreateRequest
	if err := decodeStrict(c.Body(), &req); err != nil {
		return err
	}
	hash := ""
	if req.Password != "" {
		var err error
		if hash, err = models.HashPassword(req.Password); err != nil {
			return err
		}
	}
	u, err := s.store.CreateUser(c.UserContext(), req.Email, req.Role, hash)
	if err != nil {
		return err
	}
	s.log.Info("user created", "request_id", c.Locals("requestid"), "by", actor(c), "user", u.Email, "role", u.Role)
	c.Location("/api/v1/users/" + strconv.FormatInt(u.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(viewUser(*u))
}
