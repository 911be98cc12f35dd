package models

// RetryOnPrimary exposes retryOnPrimary.
var RetryOnPrimary = retryOnPrimary
