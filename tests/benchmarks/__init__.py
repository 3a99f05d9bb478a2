"""River's speed benchmarks (scripts; see docs/performance.md). Not collected by pytest."""
