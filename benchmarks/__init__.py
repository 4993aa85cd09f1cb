"""Speed, scale, memory and NLU-quality benchmarks (``make bench``, ``make eval``)."""
