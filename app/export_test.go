package app

// TestRequest lets the external tests (package app_test) send requests
// through the same OpenAPI-checked helper as the rest.
var TestRequest = testRequest
