package app

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"
)

// openapiYAML is the API contract, app/openapi/openapi.yaml. The tests
// validate every API answer against it, so it is the code's description,
// not a wish.
//
//go:embed openapi/openapi.yaml
var openapiYAML []byte

// loadOpenAPI parses and validates the contract and renders its JSON form;
// New fails when it is broken, like a template that does not parse.
func loadOpenAPI() (*openapi3.T, []byte, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapiYAML)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("openapi: %w", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi: %w", err)
	}
	return doc, js, nil
}

// apiOpenAPIJSON is GET /api/v1/openapi.json.
func (s *Server) apiOpenAPIJSON(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(s.openapiJSON)
}

// apiOpenAPIYAML is GET /api/v1/openapi.yaml.
func (s *Server) apiOpenAPIYAML(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/yaml")
	return c.Send(openapiYAML)
}
