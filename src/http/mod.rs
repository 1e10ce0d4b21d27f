//! The Go-compatible HTTP API, as a pure function from request to response.
