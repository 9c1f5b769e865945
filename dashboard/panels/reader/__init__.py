"""The reader panel: layout, pure logic and callbacks."""
