"""Operations: health and readiness probes, Prometheus metrics, structured logs and the
request id that follows a request into its background jobs."""
