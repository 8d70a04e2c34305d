"""What the i18n walk covered, per language: filled by test_walk, printed in the terminal summary."""

COVERAGE: dict[str, dict] = {}
