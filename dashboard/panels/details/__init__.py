"""The details panel: layout, pure logic and callbacks."""
