"""Plumbing the API, the workers and the steps share: metrics, circuit breakers, the
egress policy and the HTTP client for a tenant's systems. Below ``activities``: it
knows nothing of steps or runs."""
