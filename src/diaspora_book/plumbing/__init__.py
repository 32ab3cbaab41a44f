"""The plumbing every stage stands on: errors that point at the source, strict text
reading, atomic outputs, the build cache, worker processes, progress, YAML with lines."""
