"""The excerpts panel: layout, pure logic and callbacks."""
